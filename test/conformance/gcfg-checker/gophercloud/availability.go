// Package gophercloud stands in for github.com/gophercloud/gophercloud in the checker: OCCM's
// `os-endpoint-type` field has this named string type, and gcfg treats a named string type
// differently from `string` (it is scanned with fmt's %v, so it must be a single word). The
// package path and type name match the real ones so gcfg's error messages do too.
package gophercloud

type Availability string
