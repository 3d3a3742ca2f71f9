// The etcd server binary. Its own main package lives in go.etcd.io/etcd/v3, a module whose go.mod
// has replace directives (so `go build pkg@version` refuses it); etcdmain.Main is that same entry.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
