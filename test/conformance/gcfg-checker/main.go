// gcfg-checker: the conformance oracle for cloud.conf. It reads a JSON array of base64-encoded
// cloud.conf files on stdin and prints a JSON array with, for each file, what the real
// gopkg.in/gcfg.v1 decides when OCCM and Cinder CSI read it:
//
//	gcfg.FatalOnly(gcfg.ReadInto(&cfg, reader))
//
// into structs that mirror the real ones (kubernetes/cloud-provider-openstack pkg/client AuthOpts,
// pkg/openstack Config, pkg/csi/cinder/openstack Config), with the same field names, gcfg tags and
// Go types. Every field is a pointer so a key that was written can be told from one that was not;
// gcfg allocates pointer fields and then sets them exactly like the plain field types.
// Nothing here re-implements a gcfg rule: values are printed as gcfg stored them.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud"
	"gopkg.in/gcfg.v1"
	"k8s.io/cloud-provider-openstack/pkg/openstack"
)

// MyDuration is pkg/util.MyDuration: a TextUnmarshaler parsed with time.ParseDuration.
type MyDuration struct {
	time.Duration
}

func (d *MyDuration) UnmarshalText(text []byte) error {
	res, err := time.ParseDuration(string(text))
	if err != nil {
		return err
	}
	d.Duration = res
	return nil
}

// AuthOpts mirrors pkg/client.AuthOpts (gcfg-relevant tags only; Username, Password, Region and
// CAFileContents have no gcfg tag, so gcfg matches them by field name).
type AuthOpts struct {
	AuthURL                     *string `gcfg:"auth-url"`
	UserID                      *string `gcfg:"user-id"`
	Username                    *string
	Password                    *string
	TenantID                    *string `gcfg:"tenant-id"`
	TenantName                  *string `gcfg:"tenant-name"`
	TrustID                     *string `gcfg:"trust-id"`
	TrusteeID                   *string `gcfg:"trustee-id"`
	TrusteePassword             *string `gcfg:"trustee-password"`
	DomainID                    *string `gcfg:"domain-id"`
	DomainName                  *string `gcfg:"domain-name"`
	TenantDomainID              *string `gcfg:"tenant-domain-id"`
	TenantDomainName            *string `gcfg:"tenant-domain-name"`
	UserDomainID                *string `gcfg:"user-domain-id"`
	UserDomainName              *string `gcfg:"user-domain-name"`
	Region                      *string
	EndpointType                *gophercloud.Availability `gcfg:"os-endpoint-type"`
	CAFile                      *string                   `gcfg:"ca-file"`
	TLSInsecure                 *string                   `gcfg:"tls-insecure"`
	CertFile                    *string                   `gcfg:"cert-file"`
	KeyFile                     *string                   `gcfg:"key-file"`
	CAFileContents              *string
	UseClouds                   *bool   `gcfg:"use-clouds"`
	CloudsFile                  *string `gcfg:"clouds-file,omitempty"`
	Cloud                       *string `gcfg:"cloud,omitempty"`
	ApplicationCredentialID     *string `gcfg:"application-credential-id"`
	ApplicationCredentialName   *string `gcfg:"application-credential-name"`
	ApplicationCredentialSecret *string `gcfg:"application-credential-secret"`
	Token                       *string `gcfg:"token"`
}

type LoadBalancerOpts struct {
	Enabled                        *bool                         `gcfg:"enabled"`
	LBVersion                      *string                       `gcfg:"lb-version"`
	SubnetID                       *string                       `gcfg:"subnet-id"`
	MemberSubnetID                 *string                       `gcfg:"member-subnet-id"`
	NetworkID                      *string                       `gcfg:"network-id"`
	FloatingNetworkID              *string                       `gcfg:"floating-network-id"`
	FloatingSubnetID               *string                       `gcfg:"floating-subnet-id"`
	FloatingSubnet                 *string                       `gcfg:"floating-subnet"`
	FloatingSubnetTags             *string                       `gcfg:"floating-subnet-tags"`
	LBClasses                      map[string]*openstack.LBClass // untagged, as in OCCM: gcfg binds "lbclasses" to it and cannot set it
	LBMethod                       *string                       `gcfg:"lb-method"`
	LBProvider                     *string                       `gcfg:"lb-provider"`
	CreateMonitor                  *bool                         `gcfg:"create-monitor"`
	MonitorDelay                   *MyDuration                   `gcfg:"monitor-delay"`
	MonitorTimeout                 *MyDuration                   `gcfg:"monitor-timeout"`
	MonitorMaxRetries              *uint                         `gcfg:"monitor-max-retries"`
	MonitorMaxRetriesDown          *uint                         `gcfg:"monitor-max-retries-down"`
	ManageSecurityGroups           *bool                         `gcfg:"manage-security-groups"`
	InternalLB                     *bool                         `gcfg:"internal-lb"`
	NodeSelector                   *string                       `gcfg:"node-selector"`
	CascadeDelete                  *bool                         `gcfg:"cascade-delete"`
	FlavorID                       *string                       `gcfg:"flavor-id"`
	AvailabilityZone               *string                       `gcfg:"availability-zone"`
	EnableIngressHostname          *bool                         `gcfg:"enable-ingress-hostname"`
	IngressHostnameSuffix          *string                       `gcfg:"ingress-hostname-suffix"`
	MaxSharedLB                    *int                          `gcfg:"max-shared-lb"`
	ContainerStore                 *string                       `gcfg:"container-store"`
	ProviderRequiresSerialAPICalls *bool                         `gcfg:"provider-requires-serial-api-calls"`
	TlsContainerRef                *string                       `gcfg:"default-tls-container-ref"`
}

type NetworkingOpts struct {
	IPv6SupportDisabled *bool    `gcfg:"ipv6-support-disabled"`
	PublicNetworkName   []string `gcfg:"public-network-name"`
	InternalNetworkName []string `gcfg:"internal-network-name"`
	AddressSortOrder    *string  `gcfg:"address-sort-order"`
}

type RouterOpts struct {
	RouterID *string `gcfg:"router-id"`
}

// MetadataOpts mirrors pkg/util/metadata.Opts.
type MetadataOpts struct {
	SearchOrder    *string     `gcfg:"search-order"`
	RequestTimeout *MyDuration `gcfg:"request-timeout"`
}

// OCCMConfig mirrors pkg/openstack.Config.
type OCCMConfig struct {
	Global            AuthOpts
	LoadBalancer      LoadBalancerOpts
	LoadBalancerClass map[string]*openstack.LBClass
	Route             RouterOpts
	Metadata          MetadataOpts
	Networking        NetworkingOpts
}

type BlockStorageOpts struct {
	NodeVolumeAttachLimit    *int64 `gcfg:"node-volume-attach-limit"`
	RescanOnResize           *bool  `gcfg:"rescan-on-resize"`
	IgnoreVolumeAZ           *bool  `gcfg:"ignore-volume-az"`
	IgnoreVolumeMicroversion *bool  `gcfg:"ignore-volume-microversion"`
}

// CSIConfig mirrors pkg/csi/cinder/openstack.Config: [Global] and [Global "name"] are read.
type CSIConfig struct {
	Global       map[string]*AuthOpts
	Metadata     MetadataOpts
	BlockStorage BlockStorageOpts
}

type Values map[string]interface{}

type Parsed struct {
	OK       bool              `json:"ok"`
	Error    string            `json:"error,omitempty"`
	Global   Values            `json:"global"`
	Sections map[string]Values `json:"sections"`
}

type Result struct {
	Parsed
	CSI Parsed `json:"csi"`
}

// gcfgName is the name a field is written under in cloud.conf: its gcfg tag, else the field name.
func gcfgName(f reflect.StructField) string {
	if tag := strings.Split(f.Tag.Get("gcfg"), ",")[0]; tag != "" {
		return tag
	}
	return strings.ToLower(f.Name)
}

// values lists the fields gcfg set (non-nil pointers, non-nil slices) as JSON-friendly values.
// Integers and durations (nanoseconds) are decimal strings so no precision is lost in JSON.
func values(v reflect.Value) Values {
	out := Values{}
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.IsNil() {
			continue
		}
		name := gcfgName(v.Type().Field(i))
		if f.Kind() == reflect.Slice {
			list := make([]string, f.Len())
			for j := range list {
				list[j] = f.Index(j).String()
			}
			out[name] = list
			continue
		}
		switch p := f.Interface().(type) {
		case *MyDuration:
			out[name] = strconv.FormatInt(int64(p.Duration), 10)
		case *bool:
			out[name] = *p
		case *uint:
			out[name] = strconv.FormatUint(uint64(*p), 10)
		case *int:
			out[name] = strconv.Itoa(*p)
		case *int64:
			out[name] = strconv.FormatInt(*p, 10)
		default:
			out[name] = f.Elem().String()
		}
	}
	return out
}

func sectionsOf(cfg reflect.Value, skip string) (Values, map[string]Values) {
	var global Values
	sections := map[string]Values{}
	for i := 0; i < cfg.NumField(); i++ {
		name := cfg.Type().Field(i).Name
		f := cfg.Field(i)
		if f.Kind() == reflect.Map {
			keys := f.MapKeys()
			sort.Slice(keys, func(a, b int) bool { return keys[a].String() < keys[b].String() })
			for _, k := range keys {
				sections[name+" \""+k.String()+"\""] = values(f.MapIndex(k).Elem())
			}
			continue
		}
		vals := values(f)
		if name == skip {
			global = vals
		} else if len(vals) > 0 {
			sections[name] = vals
		}
	}
	if global == nil {
		global = Values{}
	}
	return global, sections
}

func parseOCCM(src []byte) Parsed {
	var cfg OCCMConfig
	if err := gcfg.FatalOnly(gcfg.ReadInto(&cfg, strings.NewReader(string(src)))); err != nil {
		return Parsed{Error: err.Error(), Global: Values{}, Sections: map[string]Values{}}
	}
	global, sections := sectionsOf(reflect.ValueOf(cfg), "Global")
	return Parsed{OK: true, Global: global, Sections: sections}
}

func parseCSI(src []byte) Parsed {
	var cfg CSIConfig
	if err := gcfg.FatalOnly(gcfg.ReadInto(&cfg, strings.NewReader(string(src)))); err != nil {
		return Parsed{Error: err.Error(), Global: Values{}, Sections: map[string]Values{}}
	}
	// CSI's [Global] is a map: the plain [Global] section is the entry "" and is reported as
	// `global`; named ones appear in sections as `Global "name"`.
	_, sections := sectionsOf(reflect.ValueOf(cfg), "")
	global := Values{}
	if plain, ok := sections[`Global ""`]; ok {
		global = plain
		delete(sections, `Global ""`)
	}
	return Parsed{OK: true, Global: global, Sections: sections}
}

func main() {
	var inputs []string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		fmt.Fprintln(os.Stderr, "gcfg-checker: stdin must be a JSON array of base64 strings:", err)
		os.Exit(2)
	}
	results := make([]Result, len(inputs))
	for i, in := range inputs {
		src, err := base64.StdEncoding.DecodeString(in)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gcfg-checker: input %d is not base64: %v\n", i, err)
			os.Exit(2)
		}
		results[i] = Result{Parsed: parseOCCM(src), CSI: parseCSI(src)}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "gcfg-checker:", err)
		os.Exit(2)
	}
}
