// yaml-checker: the Go YAML oracle. It reads a JSON array of base64-encoded YAML documents on stdin
// and prints a JSON array with what gopkg.in/yaml.v2 (the YAML library behind sigs.k8s.io/yaml, which
// CAPO and CSPO read clouds.yaml with, and behind gophercloud's clientconfig) decodes each into:
//
//	yaml.Unmarshal(data, &v) // v interface{}
//
// Strings are printed as JSON strings when they are valid UTF-8, else as {"$bytes": base64}; other
// scalars with their Go type, so a number or a date never passes for text. Nothing is re-implemented.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v2"
)

type result struct {
	Ok    bool        `json:"ok"`
	Error string      `json:"error,omitempty"`
	Value interface{} `json:"value,omitempty"`
}

func plain(v interface{}) interface{} {
	switch x := v.(type) {
	case map[interface{}]interface{}:
		out := map[string]interface{}{}
		for k, e := range x {
			out[fmt.Sprint(k)] = plain(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case string:
		if utf8.ValidString(x) {
			return x
		}
		return map[string]string{"$bytes": base64.StdEncoding.EncodeToString([]byte(x))}
	case time.Time:
		return map[string]string{"$time": x.String()}
	case nil, bool:
		return x
	default:
		return map[string]string{"$" + fmt.Sprintf("%T", x): fmt.Sprint(x)}
	}
}

func main() {
	var inputs []string
	if err := json.NewDecoder(os.Stdin).Decode(&inputs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]result, len(inputs))
	for i, b64 := range inputs {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			out[i] = result{Error: err.Error()}
			continue
		}
		var v interface{}
		if err := yaml.Unmarshal(data, &v); err != nil {
			out[i] = result{Error: err.Error()}
			continue
		}
		out[i] = result{Ok: true, Value: plain(v)}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
