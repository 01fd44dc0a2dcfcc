// Command crd-schemas copies upstream CustomResourceDefinitions into one multi-document file
// for `kubebook check` (labs/crds/), keeping what validation reads (names, versions,
// openAPIV3Schema, CEL rules) and dropping the prose descriptions, which are most of the
// bytes and which every build would otherwise parse.
//
// Usage: crd-schemas HEADER FILE.yaml... > bundle.yaml
package main

import (
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

func strip(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			// A property may itself be called "description" (a field of the API): keep it
			// when it is a schema (an object), drop it when it is prose (a string).
			if k == "description" {
				if _, prose := c.(string); prose {
					continue
				}
			}
			out[k] = strip(c)
		}
		return out
	case []any:
		for i := range t {
			t[i] = strip(t[i])
		}
		return t
	default:
		return v
	}
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: crd-schemas HEADER FILE.yaml...")
		os.Exit(2)
	}
	fmt.Printf("# %s\n", os.Args[1])
	for _, path := range os.Args[2:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for _, doc := range strings.Split(string(data), "\n---\n") {
			var obj map[string]any
			if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
				os.Exit(1)
			}
			if obj == nil || obj["kind"] != "CustomResourceDefinition" {
				continue
			}
			meta, _ := obj["metadata"].(map[string]any)
			// Annotations carry the bundle version and the upstream PR link; the header says
			// where the file came from.
			obj["metadata"] = map[string]any{"name": meta["name"]}
			out, err := yaml.Marshal(strip(obj))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			fmt.Printf("---\n%s", out)
		}
	}
}
