// Command kind-addons prints the objects a new kind cluster holds beside the control plane,
// taken from the pinned upstream sources rather than written by hand:
//   - CoreDNS (Deployment, ConfigMap, Service kube-dns, RBAC), rendered by kubeadm's own
//     addon code as `kubeadm init` renders it for kind;
//   - kind's default storage (local-path provisioner and the default StorageClass
//     `standard`), the manifest kind bakes into its node image, read from kind's source.
//
// kubebook's control plane applies the output at start, so steps that read these objects
// (kubectl get service kube-dns, kubectl get storageclass) print what they print on kind.
// The Pods they create run nowhere: on kwok's fake nodes nothing serves DNS or volumes.
package main

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"

	"go/constant"

	kubeadmapi "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm"
	"k8s.io/kubernetes/cmd/kubeadm/app/phases/addons/dns"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kind-addons KIND_MODULE_DIR")
		os.Exit(2)
	}
	cfg := &kubeadmapi.ClusterConfiguration{
		ImageRepository: "registry.k8s.io",
		Networking: kubeadmapi.Networking{
			ServiceSubnet: "10.96.0.0/16", // kind's default
			DNSDomain:     "cluster.local",
		},
	}
	// printManifest=true: render, never touch a cluster.
	if err := dns.EnsureDNSAddon(cfg, nil, "", os.Stdout, true); err != nil {
		fail(err)
	}
	storage, err := kindStorageManifest(os.Args[1])
	if err != nil {
		fail(err)
	}
	fmt.Printf("\n---\n%s\n", storage)
}

// kindStorageManifest evaluates the constant defaultStorageManifest of kind's
// pkg/build/nodeimage/const_storage.go (a concatenation of constants) with go/types.
func kindStorageManifest(kindDir string) (string, error) {
	path := filepath.Join(kindDir, "pkg", "build", "nodeimage", "const_storage.go")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return "", err
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.Default(), Error: func(error) {}}
	_, _ = conf.Check("nodeimage", fset, []*ast.File{f}, info)
	for id, obj := range info.Defs {
		if c, ok := obj.(*types.Const); ok && id.Name == "defaultStorageManifest" {
			return constant.StringVal(c.Val()), nil
		}
	}
	return "", fmt.Errorf("%s has no constant defaultStorageManifest", path)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kind-addons:", err)
	os.Exit(1)
}
