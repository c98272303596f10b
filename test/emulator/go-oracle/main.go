// Go itself as the oracle for the emulator's imitations of Go behaviour (test/emulator/gooracle.test.ts):
// reads a JSON array of cases on stdin, answers each with what the Go standard library says.
//   quote     strconv.Quote(s)
//   parseInt  strconv.ParseInt(s, 10, 64): the error text, or "" when it parses
//   base64    base64.StdEncoding.DecodeString(s): the error text, or ""
//   float     fmt.Sprintf("%v", f)
//   json      json.Unmarshal into ConfigMap (the field names and Go types of core/v1 ConfigMap and
//             ObjectMeta, so the error texts name the same structs and fields): the error text, or ""
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

type ObjectMeta struct {
	Name                       string            `json:"name,omitempty"`
	GenerateName               string            `json:"generateName,omitempty"`
	Namespace                  string            `json:"namespace,omitempty"`
	UID                        string            `json:"uid,omitempty"`
	ResourceVersion            string            `json:"resourceVersion,omitempty"`
	Generation                 int64             `json:"generation,omitempty"`
	DeletionGracePeriodSeconds *int64            `json:"deletionGracePeriodSeconds,omitempty"`
	Labels                     map[string]string `json:"labels,omitempty"`
	Annotations                map[string]string `json:"annotations,omitempty"`
	Finalizers                 []string          `json:"finalizers,omitempty"`
}

type ConfigMap struct {
	Kind       string            `json:"kind,omitempty"`
	APIVersion string            `json:"apiVersion,omitempty"`
	ObjectMeta ObjectMeta        `json:"metadata,omitempty"`
	Immutable  *bool             `json:"immutable,omitempty"`
	Data       map[string]string `json:"data,omitempty"`
	BinaryData map[string][]byte `json:"binaryData,omitempty"`
}

type testCase struct {
	Op    string  `json:"op"`
	S     string  `json:"s"`
	F     float64 `json:"f"`
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]string, len(cases))
	for i, c := range cases {
		switch c.Op {
		case "quote":
			out[i] = strconv.Quote(c.S)
		case "parseInt":
			_, err := strconv.ParseInt(c.S, 10, 64)
			out[i] = errText(err)
		case "base64":
			_, err := base64.StdEncoding.DecodeString(c.S)
			out[i] = errText(err)
		case "float":
			out[i] = fmt.Sprintf("%v", c.F)
		case "json":
			var cm ConfigMap
			out[i] = errText(json.Unmarshal([]byte(c.S), &cm))
		default:
			out[i] = "unknown op " + c.Op
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(2)
	}
}
