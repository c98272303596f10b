// occm-auth: authenticates against a real Keystone the way the OpenStack cloud-controller-manager
// and Cinder CSI do, from the cloud.conf they would read. The conformance oracle for credentials.
//
// stdin: a JSON array of cases {"conf": "/path/cloud.conf", "mounts": {"/etc/config": "/tmp/x"}, "requestOnly": false}
// (mounts stand in for the pod's volume mounts: a path in `ca-file` or `clouds-file` under a key
// is read from the mapped directory). stdout: a JSON array with, per case, what happened:
// {"ok", "stage", "error", "project", "user", "roles", "loadBalancerEnabled", "endpoints"}; ok means
// authenticated and every endpoint a consumer looks up was found (identity is only reported).
// The token is never printed.
//
// What it mirrors (kubernetes/cloud-provider-openstack@c453fb7):
//   - pkg/openstack/openstack.go:205-248 ReadConfig: `[LoadBalancer] enabled` defaults to true,
//     gcfg.FatalOnly(gcfg.ReadInto(...)), and with `use-clouds` ReadClouds (clouds-file via
//     OS_CLIENT_CONFIG_FILE);
//   - pkg/client/client.go:39-75 AuthOpts (gcfg tags), :133-168 ToAuthOptions (gophercloud-utils
//     clientconfig.AuthOptions with EnvPrefix "_", AllowReauth), :170-194 ToAuth3Options,
//     :206-239 ReadClouds, :242-314 NewOpenStackClient (CA pool, tls-insecure, trust path);
//   - pkg/openstack/openstack.go:297-300 and pkg/csi/cinder/openstack/openstack.go:199-215: the
//     service clients are looked up with EndpointOpts{Region, Availability: os-endpoint-type}.
//
// Built against Debian's gophercloud 0.12 and gophercloud-utils (2020): the CCM uses gophercloud v2,
// whose AuthScope has TrustID (auth_options.go ToTokenV3ScopeMap); 0.12 expresses the same scope
// with trusts.AuthOptsExt. Block storage is looked up as `volumev3` here (0.12); v2 looks for
// `block-storage` and its aliases, `volumev3` among them (gophercloud@95eea8e endpoint_search.go:37).
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"net/http"
	"os"
	"strings"

	"github.com/gophercloud/gophercloud"
	"github.com/gophercloud/gophercloud/openstack"
	"github.com/gophercloud/gophercloud/openstack/identity/v3/extensions/trusts"
	tokens3 "github.com/gophercloud/gophercloud/openstack/identity/v3/tokens"
	"github.com/gophercloud/utils/openstack/clientconfig"
	"gopkg.in/gcfg.v1"
)

// AuthOpts has the fields and gcfg tags of pkg/client.AuthOpts (client.go:39-75).
type AuthOpts struct {
	AuthURL          string `gcfg:"auth-url"`
	UserID           string `gcfg:"user-id"`
	Username         string
	Password         string
	TenantID         string `gcfg:"tenant-id"`
	TenantName       string `gcfg:"tenant-name"`
	TrustID          string `gcfg:"trust-id"`
	TrusteeID        string `gcfg:"trustee-id"`
	TrusteePassword  string `gcfg:"trustee-password"`
	DomainID         string `gcfg:"domain-id"`
	DomainName       string `gcfg:"domain-name"`
	TenantDomainID   string `gcfg:"tenant-domain-id"`
	TenantDomainName string `gcfg:"tenant-domain-name"`
	UserDomainID     string `gcfg:"user-domain-id"`
	UserDomainName   string `gcfg:"user-domain-name"`
	Region           string
	EndpointType     gophercloud.Availability `gcfg:"os-endpoint-type"`
	CAFile           string                   `gcfg:"ca-file"`
	TLSInsecure      string                   `gcfg:"tls-insecure"`
	Token            string                   `gcfg:"token"`
	CertFile         string                   `gcfg:"cert-file"`
	KeyFile          string                   `gcfg:"key-file"`
	CAFileContents   string
	UseClouds        bool   `gcfg:"use-clouds"`
	CloudsFile       string `gcfg:"clouds-file,omitempty"`
	Cloud            string `gcfg:"cloud,omitempty"`

	ApplicationCredentialID     string `gcfg:"application-credential-id"`
	ApplicationCredentialName   string `gcfg:"application-credential-name"`
	ApplicationCredentialSecret string `gcfg:"application-credential-secret"`
}

// Config keeps the sections this probe needs; gcfg.FatalOnly ignores the others as extra data.
type Config struct {
	Global       AuthOpts
	LoadBalancer struct {
		Enabled bool `gcfg:"enabled"`
	}
}

type Case struct {
	Conf   string            `json:"conf"`
	Mounts map[string]string `json:"mounts"`
	// RequestOnly stops before the network: gophercloud builds the Keystone v3 token request
	// (ToTokenV3ScopeMap, ToTokenV3CreateMap, as openstack.Authenticate would) and `scope` says
	// which token it asks for: project, domain, trust, system or none (unscoped: no catalog).
	RequestOnly bool `json:"requestOnly"`
}

type Endpoint struct {
	URL   string `json:"url,omitempty"`
	Error string `json:"error,omitempty"`
}

type Ref struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type Result struct {
	OK                  bool                `json:"ok"`
	Stage               string              `json:"stage,omitempty"`
	Error               string              `json:"error,omitempty"`
	Project             *Ref                `json:"project,omitempty"`
	User                *Ref                `json:"user,omitempty"`
	Roles               []string            `json:"roles,omitempty"`
	LoadBalancerEnabled bool                `json:"loadBalancerEnabled"`
	Endpoints           map[string]Endpoint `json:"endpoints,omitempty"`
	Scope               string              `json:"scope,omitempty"`
}

func replaceEmpty(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

func mapped(p string, mounts map[string]string) string {
	for from, to := range mounts {
		prefix := strings.TrimSuffix(from, "/") + "/"
		if strings.HasPrefix(p, prefix) {
			return strings.TrimSuffix(to, "/") + "/" + strings.TrimPrefix(p, prefix)
		}
	}
	return p
}

// readClouds is client.go:206-239 ReadClouds.
func readClouds(o *AuthOpts) error {
	co := new(clientconfig.ClientOpts)
	if o.Cloud != "" {
		co.Cloud = o.Cloud
	}
	cloud, err := clientconfig.GetCloudFromYAML(co)
	if err != nil {
		return err
	}
	a := cloud.AuthInfo
	o.AuthURL = replaceEmpty(o.AuthURL, a.AuthURL)
	o.UserID = replaceEmpty(o.UserID, a.UserID)
	o.Username = replaceEmpty(o.Username, a.Username)
	o.Password = replaceEmpty(o.Password, a.Password)
	o.TenantID = replaceEmpty(o.TenantID, a.ProjectID)
	o.TenantName = replaceEmpty(o.TenantName, a.ProjectName)
	o.DomainID = replaceEmpty(o.DomainID, a.DomainID)
	o.DomainName = replaceEmpty(o.DomainName, a.DomainName)
	o.TenantDomainID = replaceEmpty(o.TenantDomainID, a.ProjectDomainID)
	o.TenantDomainName = replaceEmpty(o.TenantDomainName, a.ProjectDomainName)
	o.UserDomainID = replaceEmpty(o.UserDomainID, a.UserDomainID)
	o.UserDomainName = replaceEmpty(o.UserDomainName, a.UserDomainName)
	o.Region = replaceEmpty(o.Region, cloud.RegionName)
	o.EndpointType = gophercloud.Availability(replaceEmpty(string(o.EndpointType), cloud.EndpointType))
	o.CAFile = replaceEmpty(o.CAFile, cloud.CACertFile)
	o.CertFile = replaceEmpty(o.CertFile, cloud.ClientCertFile)
	o.KeyFile = replaceEmpty(o.KeyFile, cloud.ClientKeyFile)
	o.ApplicationCredentialID = replaceEmpty(o.ApplicationCredentialID, a.ApplicationCredentialID)
	o.ApplicationCredentialName = replaceEmpty(o.ApplicationCredentialName, a.ApplicationCredentialName)
	o.ApplicationCredentialSecret = replaceEmpty(o.ApplicationCredentialSecret, a.ApplicationCredentialSecret)
	o.Token = replaceEmpty(o.Token, a.Token)
	return nil
}

// toAuthOptions is client.go:133-168 ToAuthOptions.
func (o AuthOpts) toAuthOptions() gophercloud.AuthOptions {
	opts := clientconfig.ClientOpts{
		EnvPrefix: "_",
		Cloud:     o.Cloud,
		AuthInfo: &clientconfig.AuthInfo{
			AuthURL:                     o.AuthURL,
			UserID:                      o.UserID,
			Username:                    o.Username,
			Password:                    o.Password,
			ProjectID:                   o.TenantID,
			ProjectName:                 o.TenantName,
			DomainID:                    o.DomainID,
			DomainName:                  o.DomainName,
			ProjectDomainID:             o.TenantDomainID,
			ProjectDomainName:           o.TenantDomainName,
			UserDomainID:                o.UserDomainID,
			UserDomainName:              o.UserDomainName,
			ApplicationCredentialID:     o.ApplicationCredentialID,
			ApplicationCredentialName:   o.ApplicationCredentialName,
			ApplicationCredentialSecret: o.ApplicationCredentialSecret,
			Token:                       o.Token,
		},
	}
	ao, err := clientconfig.AuthOptions(&opts)
	if err != nil {
		return gophercloud.AuthOptions{}
	}
	ao.AllowReauth = true
	return *ao
}

// newClient is client.go:242-314 NewOpenStackClient.
func newClient(o *AuthOpts, mounts map[string]string) (*gophercloud.ProviderClient, string, error) {
	provider, err := openstack.NewClient(o.AuthURL)
	if err != nil {
		return nil, "client", err
	}
	var pool *x509.CertPool
	if o.CAFile != "" {
		pem, err := ioutil.ReadFile(mapped(o.CAFile, mounts))
		if err != nil {
			return nil, "client", fmt.Errorf("failed to read and parse %s certificate: %v", o.CAFile, err)
		}
		pool = x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, "client", fmt.Errorf("failed to read and parse %s certificate: no PEM certificate", o.CAFile)
		}
	}
	config := &tls.Config{InsecureSkipVerify: o.TLSInsecure == "true"}
	if pool != nil {
		config.RootCAs = pool
	}
	provider.HTTPClient.Transport = &http.Transport{TLSClientConfig: config}

	if o.TrustID != "" {
		err = openstack.AuthenticateV3(provider, trustOptions(o, o.toAuthOptions()), gophercloud.EndpointOpts{})
		return provider, "auth", err
	}
	err = openstack.Authenticate(provider, o.toAuthOptions())
	return provider, "auth", err
}

// trustOptions is the trust path of NewOpenStackClient (client.go:296-309): the trustee's login with the
// trust as scope (gophercloud 0.12 has no AuthScope.TrustID; trusts.AuthOptsExt carries it).
func trustOptions(o *AuthOpts, ao gophercloud.AuthOptions) trusts.AuthOptsExt {
	inner := gophercloud.AuthOptions{
		IdentityEndpoint:            ao.IdentityEndpoint,
		UserID:                      replaceEmpty(o.TrusteeID, ao.UserID),
		Username:                    ao.Username,
		Password:                    replaceEmpty(o.TrusteePassword, ao.Password),
		DomainID:                    ao.DomainID,
		DomainName:                  ao.DomainName,
		ApplicationCredentialID:     ao.ApplicationCredentialID,
		ApplicationCredentialName:   ao.ApplicationCredentialName,
		ApplicationCredentialSecret: ao.ApplicationCredentialSecret,
		Scope:                       &gophercloud.AuthScope{},
		AllowReauth:                 ao.AllowReauth,
	}
	return trusts.AuthOptsExt{AuthOptionsBuilder: &inner, TrustID: o.TrustID}
}

// tokenRequest builds the request newClient would send, without sending it (the same AuthOptions, the
// trust path's AuthOptsExt).
func tokenRequest(o *AuthOpts, r Result) Result {
	ao := o.toAuthOptions()
	var builder tokens3.AuthOptionsBuilder = &ao
	if o.TrustID != "" {
		builder = trustOptions(o, ao)
	}
	scope, err := builder.ToTokenV3ScopeMap()
	if err == nil {
		_, err = builder.ToTokenV3CreateMap(scope)
	}
	if err != nil {
		r.Stage, r.Error = "auth", err.Error()
		return r
	}
	r.OK, r.Scope = true, "none"
	for _, k := range []string{"project", "domain", "system", "OS-TRUST:trust"} {
		if _, ok := scope[k]; ok {
			r.Scope = strings.TrimPrefix(k, "OS-TRUST:")
		}
	}
	return r
}

func probe(c Case) (r Result) {
	var cfg Config
	cfg.LoadBalancer.Enabled = true
	if err := gcfg.FatalOnly(gcfg.ReadFileInto(&cfg, c.Conf)); err != nil {
		return Result{Stage: "config", Error: err.Error()}
	}
	if cfg.Global.UseClouds {
		if cfg.Global.CloudsFile != "" {
			os.Setenv("OS_CLIENT_CONFIG_FILE", mapped(cfg.Global.CloudsFile, c.Mounts))
		}
		if err := readClouds(&cfg.Global); err != nil {
			return Result{Stage: "config", Error: err.Error()}
		}
	}
	r.LoadBalancerEnabled = cfg.LoadBalancer.Enabled
	if c.RequestOnly {
		return tokenRequest(&cfg.Global, r)
	}
	provider, stage, err := newClient(&cfg.Global, c.Mounts)
	if err != nil {
		r.Stage, r.Error = stage, err.Error()
		return r
	}
	if res, ok := provider.GetAuthResult().(tokens3.CreateResult); ok {
		if p, err := res.ExtractProject(); err == nil && p != nil {
			r.Project = &Ref{p.ID, p.Name}
		}
		if u, err := res.ExtractUser(); err == nil && u != nil {
			r.User = &Ref{u.ID, u.Name}
		}
		if roles, err := res.ExtractRoles(); err == nil {
			for _, role := range roles {
				r.Roles = append(r.Roles, role.Name)
			}
		}
	}
	eo := gophercloud.EndpointOpts{Region: cfg.Global.Region, Availability: cfg.Global.EndpointType}
	r.Endpoints = map[string]Endpoint{}
	lookups := map[string]func(*gophercloud.ProviderClient, gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error){
		"identity":      openstack.NewIdentityV3,
		"compute":       openstack.NewComputeV2,
		"network":       openstack.NewNetworkV2,
		"load-balancer": openstack.NewLoadBalancerV2,
		"block-storage": openstack.NewBlockStorageV3,
	}
	r.OK = true
	for name, lookup := range lookups {
		sc, err := lookup(provider, eo)
		if err != nil {
			r.Endpoints[name] = Endpoint{Error: err.Error()}
			// The CCM never looks identity up in the catalog (it renews tokens at auth-url) and
			// skips the load balancer when [LoadBalancer] enabled=false.
			if name != "identity" && (name != "load-balancer" || r.LoadBalancerEnabled) {
				r.OK = false
				r.Stage = "endpoints"
			}
		} else {
			r.Endpoints[name] = Endpoint{URL: sc.Endpoint}
		}
	}
	return r
}

func main() {
	var cases []Case
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, "occm-auth: bad input:", err)
		os.Exit(2)
	}
	out := make([]Result, len(cases))
	for i, c := range cases {
		os.Unsetenv("OS_CLIENT_CONFIG_FILE")
		out[i] = probe(c)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
