// Package openstack holds the one type of kubernetes/cloud-provider-openstack pkg/openstack the checker needs under its real
// package name: gcfg's error for the untagged LoadBalancerOpts.LBClasses field names the Go type, map[string]*openstack.LBClass
// (cloud-provider-openstack@c453fb7 pkg/openstack/openstack.go:104, :128-137).
package openstack

// LBClass mirrors pkg/openstack.LBClass (pointer fields, like the rest of the checker).
type LBClass struct {
	FloatingNetworkID  *string `gcfg:"floating-network-id,omitempty"`
	FloatingSubnetID   *string `gcfg:"floating-subnet-id,omitempty"`
	FloatingSubnet     *string `gcfg:"floating-subnet,omitempty"`
	FloatingSubnetTags *string `gcfg:"floating-subnet-tags,omitempty"`
	NetworkID          *string `gcfg:"network-id,omitempty"`
	SubnetID           *string `gcfg:"subnet-id,omitempty"`
	MemberSubnetID     *string `gcfg:"member-subnet-id,omitempty"`
}
