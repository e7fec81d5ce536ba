// Strict-decodes KubeletConfiguration documents (stdin, one YAML document) into the kubelet's own
// v1beta1 type: an unknown or misspelt field (e.g. failCgroupV1) is an error, as it is for kubeadm.
// Used by test/integration/deploy/kind-config-flags.test.ts on kind-config.yaml's kubelet patch.
package main

import (
	"fmt"
	"io"
	"os"

	kubeletv1beta1 "k8s.io/kubelet/config/v1beta1"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	j, err := yaml.YAMLToJSON(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// Case-sensitive and strict, as Kubernetes' own decoders: encoding/json would accept failCgroupv1.
	var cfg kubeletv1beta1.KubeletConfiguration
	strict, err := sigsjson.UnmarshalStrict(j, &cfg, sigsjson.DisallowUnknownFields, sigsjson.DisallowDuplicateFields)
	if err == nil && len(strict) > 0 {
		err = fmt.Errorf("%v", strict)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if cfg.FailCgroupV1 == nil {
		fmt.Println(`{"failCgroupV1":null}`)
		return
	}
	fmt.Printf("{\"failCgroupV1\":%v}\n", *cfg.FailCgroupV1)
}
