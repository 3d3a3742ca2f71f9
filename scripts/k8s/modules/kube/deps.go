//go:build never

// Keeps the commands this module builds in its requirement graph (go mod tidy); never compiled.
package deps

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
)
