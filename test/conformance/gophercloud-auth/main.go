// gophercloud-auth: the conformance oracle for "would the OpenStack CCM authenticate with this cloud.conf?". It reads a JSON
// array of base64-encoded cloud.conf files on stdin and prints, for each, what gophercloud decides before any request is
// sent: the [Global] section is read with gcfg.FatalOnly(gcfg.ReadInto(...)) into the OCCM's key names
// (kubernetes/cloud-provider-openstack pkg/client AuthOpts), handed to gophercloud/utils clientconfig.AuthOptions the way
// AuthOpts.ToAuthOptions does (EnvPrefix "_" so no environment is read), and the result turned into the Keystone v3 token
// request by gophercloud (AuthOptions.ToTokenV3ScopeMap and ToTokenV3CreateMap; trusts.AuthOptsExt for a trust-id).
// It prints {ok, error, scope} where scope is the kind of token asked for: project, domain, trust, system or none
// (an unscoped token, which carries no service catalog). Debian's gophercloud 0.12 and gophercloud/utils are used as they are.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/gophercloud/gophercloud/openstack/identity/v3/extensions/trusts"
	"github.com/gophercloud/gophercloud/openstack/identity/v3/tokens"
	"github.com/gophercloud/utils/openstack/clientconfig"
	"gopkg.in/gcfg.v1"
)

// Global has the [Global] keys of pkg/client.AuthOpts (names and gcfg tags as there; all strings here).
type Global struct {
	AuthURL                     string `gcfg:"auth-url"`
	UserID                      string `gcfg:"user-id"`
	Username                    string
	Password                    string
	TenantID                    string `gcfg:"tenant-id"`
	TenantName                  string `gcfg:"tenant-name"`
	TrustID                     string `gcfg:"trust-id"`
	DomainID                    string `gcfg:"domain-id"`
	DomainName                  string `gcfg:"domain-name"`
	TenantDomainID              string `gcfg:"tenant-domain-id"`
	TenantDomainName            string `gcfg:"tenant-domain-name"`
	UserDomainID                string `gcfg:"user-domain-id"`
	UserDomainName              string `gcfg:"user-domain-name"`
	Region                      string
	ApplicationCredentialID     string `gcfg:"application-credential-id"`
	ApplicationCredentialName   string `gcfg:"application-credential-name"`
	ApplicationCredentialSecret string `gcfg:"application-credential-secret"`
	Token                       string `gcfg:"token"`
}

type Config struct {
	Global Global
}

type Result struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Scope string `json:"scope,omitempty"`
}

func check(src []byte) Result {
	var cfg Config
	if err := gcfg.FatalOnly(gcfg.ReadInto(&cfg, strings.NewReader(string(src)))); err != nil {
		return Result{Error: "gcfg: " + err.Error()}
	}
	g := cfg.Global
	ao, err := clientconfig.AuthOptions(&clientconfig.ClientOpts{
		EnvPrefix: "_",
		AuthInfo: &clientconfig.AuthInfo{
			AuthURL:                     g.AuthURL,
			UserID:                      g.UserID,
			Username:                    g.Username,
			Password:                    g.Password,
			ProjectID:                   g.TenantID,
			ProjectName:                 g.TenantName,
			DomainID:                    g.DomainID,
			DomainName:                  g.DomainName,
			ProjectDomainID:             g.TenantDomainID,
			ProjectDomainName:           g.TenantDomainName,
			UserDomainID:                g.UserDomainID,
			UserDomainName:              g.UserDomainName,
			ApplicationCredentialID:     g.ApplicationCredentialID,
			ApplicationCredentialName:   g.ApplicationCredentialName,
			ApplicationCredentialSecret: g.ApplicationCredentialSecret,
			Token:                       g.Token,
		},
	})
	if err != nil {
		return Result{Error: "clientconfig: " + err.Error()}
	}
	var builder tokens.AuthOptionsBuilder = ao
	if g.TrustID != "" {
		builder = trusts.AuthOptsExt{AuthOptionsBuilder: ao, TrustID: g.TrustID}
	}
	scope, err := builder.ToTokenV3ScopeMap()
	if err != nil {
		return Result{Error: "scope: " + err.Error()}
	}
	if _, err := builder.ToTokenV3CreateMap(scope); err != nil {
		return Result{Error: "identity: " + err.Error()}
	}
	kind := "none"
	for _, k := range []string{"project", "domain", "system", "OS-TRUST:trust"} {
		if _, ok := scope[k]; ok {
			kind = strings.TrimPrefix(k, "OS-TRUST:")
		}
	}
	return Result{OK: true, Scope: kind}
}

func main() {
	var inputs []string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		fmt.Fprintln(os.Stderr, "gophercloud-auth: stdin must be a JSON array of base64 strings:", err)
		os.Exit(2)
	}
	out := make([]Result, len(inputs))
	for i, in := range inputs {
		src, err := base64.StdEncoding.DecodeString(in)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gophercloud-auth: input %d is not base64: %v\n", i, err)
			os.Exit(2)
		}
		out[i] = check(src)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "gophercloud-auth:", err)
		os.Exit(2)
	}
}
