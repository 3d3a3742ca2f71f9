//go:build never

// Keeps controller-gen and the Prometheus Operator's API types in this module's requirement
// graph (go mod tidy); never compiled.
package tools

import (
	_ "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	_ "sigs.k8s.io/controller-tools/cmd/controller-gen"
)
