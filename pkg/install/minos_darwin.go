package install

import "github.com/gvx-dev/gvx/pkg/registry"

// HostMacOSVersion is the running macOS's version, "14.5"
// (sysctl kern.osproductversion).
func HostMacOSVersion() (string, error) { return registry.SysctlString("kern.osproductversion") }
