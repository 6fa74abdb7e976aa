package layout

// ExeSuffix is the suffix of executables: ".exe" on Windows.
const ExeSuffix = ".exe"
