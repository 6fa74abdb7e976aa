// Command fileserver serves a directory on loopback for the install-script
// end-to-end check: it prints its base URL on the first line of stdout once
// it listens, and exits when its stdin is closed, so the script that started
// it needs neither sleeps nor a kill to stop it.
//
//	fileserver DIR
package main

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: fileserver DIR")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	fs := http.FileServer(http.Dir(os.Args[1]))
	log.Fatal(http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s", r.Method, r.URL.Path)
		fs.ServeHTTP(w, r)
	})))
}
