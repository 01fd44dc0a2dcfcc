//! The registry of every diagnostic code kubebook reports: one row per code with its
//! severity, a summary, the upstream rule it mirrors (Kubernetes source file and function,
//! where there is one) and its anchor in `docs/diagnostics.md`, which is generated from this
//! table (`KUBEBOOK_WRITE_DOCS=1 cargo test --lib diag::codes`). Code must name a code through
//! the constants below, never as a string literal.

use super::Level;

/// One diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub id: &'static str,
    pub severity: Level,
    pub summary: &'static str,
    /// The Kubernetes rule this mirrors, as `file function` in kubernetes/kubernetes
    /// (empty for kubebook's own rules).
    pub upstream: &'static str,
}

impl Code {
    /// Anchor of this code in `docs/diagnostics.md`.
    pub fn anchor(&self) -> String {
        self.id.to_ascii_lowercase()
    }
}

macro_rules! registry {
    ($( $id:ident : $sev:ident, $summary:literal, $upstream:literal; )*) => {
        $(
            #[doc = $summary]
            pub const $id: &str = stringify!($id);
        )*
        /// Every code, in documentation order.
        pub static ALL: &[Code] = &[
            $( Code { id: stringify!($id), severity: Level::$sev, summary: $summary, upstream: $upstream }, )*
        ];
    };
}

registry! {
    // Book layout and configuration.
    BOOK001: Error, "The book has no chapters.", "";
    BOOK002: Error, "A chapter or book/ cannot be read.", "";
    BOOK003: Error, "A file in book/ is not named like a chapter (NN-slug.md).", "";
    BOOK004: Error, "A chapter is larger than 8 MiB.", "";
    BOOK005: Error, "A chapter is not valid UTF-8.", "";
    BOOK006: Error, "Two chapters share a number.", "";
    BOOK007: Warning, "A chapter entry is not a regular file and is skipped.", "";
    CFG000: Error, "book/book.toml cannot be read.", "";
    CFG001: Error, "book/book.toml is not valid (syntax, unknown key, wrong type).", "";
    CFG002: Error, "book.title is empty.", "";
    CFG003: Error, "book.kubernetes names a version this kubebook does not validate against.", "";
    FM001: Error, "A chapter's front matter is missing or not valid.", "";
    // Markdown.
    MD001: Error, "A link names a chapter file that is not in the book.", "";
    MD002: Error, "A link names an anchor the target chapter does not have.", "";
    MD003: Error, "An image is not published (not under book/images/, missing or not a file).", "";
    MD004: Error, "A directive (such as {{#interview}}) is malformed.", "";
    MD005: Warning, "An {{#interview}} directive's chapters have no interview questions.", "";
    MD006: Error, "A heading id is used twice in one chapter.", "";
    MD007: Warning, "A link uses a javascript:, vbscript: or data: URL.", "";
    // Labs.
    LAB001: Error, "A fence's attributes cannot be parsed.", "";
    LAB002: Error, "An attribute is only meaningful on a lab block.", "";
    LAB003: Error, "A lab id is not valid.", "";
    LAB004: Error, "A lab id is used in two chapters.", "";
    LAB005: Error, "An attribute belongs on the lab's first block.", "";
    LAB006: Error, "A lab, or a key of book.toml [needs], names an unknown requirement.", "";
    LAB007: Error, "A timeout is not a duration.", "";
    LAB008: Error, "A console block cannot be a file.", "";
    LAB009: Error, "A console block is malformed.", "";
    LAB010: Error, "A lab file name is not allowed or reserved.", "";
    LAB011: Error, "A lab has two files with one name.", "";
    LAB012: Error, "A fragment= names an unknown Kubernetes type.", "";
    LAB013: Error, "A block marked expect-error does not produce exactly that diagnostic.", "";
    LAB014: Error, "`kubebook labs run` refuses a command (it could reach beyond the lab's cluster or namespace).", "";
    LAB020: Error, "labs/verified.json cannot be read or is not valid.", "";
    // YAML.
    YAML001: Error, "The YAML cannot be parsed (syntax, nesting or size budget).", "";
    YAML002: Error, "A mapping has the same key twice.", "";
    YAML003: Error, "A value YAML reads as a number or boolean where the API wants a string.", "";
    // Schema (OpenAPI of the pinned Kubernetes version).
    K8S001: Error, "Unknown field (what the API server refuses under strict field validation).", "";
    K8S002: Error, "A value has the wrong type.", "";
    K8S003: Error, "A required field is missing (or apiVersion is).", "";
    K8S004: Error, "A value is not allowed (enum, format, quantity, int-or-string, bounds).", "";
    K8S005: Error, "The kind does not exist in this Kubernetes version.", "";
    K8S006: Error, "The kind exists but not under this apiVersion.", "";
    K8S007: Warning, "A custom resource whose CRD is not known; not validated.", "";
    // Semantic rules of the API server (src/validate/semantic/), Kubernetes 1.37.
    K8S101: Error, "An object name is not valid for its kind (DNS-1123 subdomain or label; Services are DNS-1123 labels in 1.37).", "staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMetaAccessor with the kind's name function (pkg/apis/core/validation/validation.go ValidatePodName, ValidateServiceCreate, ValidateNamespaceName; pkg/apis/apps/validation/validation.go ValidateStatefulSetName, ValidateDeploymentName; …)";
    K8S102: Error, "A CronJob name is longer than 52 characters.", "pkg/apis/batch/validation/validation.go ValidateCronJobCreate";
    K8S103: Error, "A label key or value is not valid (qualified name; value at most 63 characters).", "staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabels";
    K8S104: Error, "An annotation key is not a qualified name, or the annotations exceed 256 KiB.", "staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateAnnotations";
    K8S105: Error, "A finalizer is not a qualified name.", "staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go ValidateFinalizerName";
    K8S110: Error, "A container name is not a DNS-1123 label.", "pkg/apis/core/validation/validation.go validateContainerCommon";
    K8S111: Error, "Two containers of a Pod (init containers included) share a name.", "pkg/apis/core/validation/validation.go validateContainers, validateInitContainers";
    K8S112: Error, "A port number is outside 1-65535 (container, host, Service, target or probe port).", "pkg/apis/core/validation/validation.go validateContainerPorts, validateServicePort, ValidatePortNumOrName";
    K8S113: Error, "A port name is not valid (IANA service name for containers; DNS-1123 label for Services).", "pkg/apis/core/validation/validation.go validateContainerPorts, validateServicePort, ValidatePortNumOrName";
    K8S114: Error, "Two ports of one container or Service share a name, or two container ports of a Pod share a hostPort (with protocol and hostIP).", "pkg/apis/core/validation/validation.go validateContainerPorts, validateServicePort, checkHostPortConflicts (AccumulateUniqueHostPorts)";
    K8S115: Error, "A volumeMount names a volume the Pod does not define.", "pkg/apis/core/validation/validation.go ValidateVolumeMounts";
    K8S116: Error, "A volume name is not a DNS-1123 label, or two volumes share a name.", "pkg/apis/core/validation/validation.go ValidateVolumes";
    K8S117: Error, "Two volumeMounts of one container share a mountPath.", "pkg/apis/core/validation/validation.go ValidateVolumeMounts";
    K8S118: Error, "A liveness or startup probe has a successThreshold other than 1.", "pkg/apis/core/validation/validation.go validateLivenessProbe, validateStartupProbe";
    K8S119: Error, "An init container without restartPolicy: Always has probes or lifecycle hooks.", "pkg/apis/core/validation/validation.go validateInitContainers";
    K8S120: Error, "A count or duration that must not be negative is negative (replicas, minReadySeconds, probe timings, Job and CronJob limits).", "staging/src/k8s.io/apimachinery/pkg/api/validation/generic.go ValidateNonnegativeField, called by pkg/apis/apps/validation/validation.go ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec; pkg/apis/batch/validation/validation.go validateJobSpec, validateCronJobSpec; pkg/apis/core/validation/validation.go validateProbe";
    K8S121: Error, "The Pod template's restartPolicy (after defaulting to Always) is not allowed for the workload, or activeDeadlineSeconds is set in a controller template.", "pkg/apis/apps/validation/validation.go ValidatePodTemplateSpecForReplicaSet, ValidateStatefulSetSpec, ValidateDaemonSetSpec; pkg/apis/batch/validation/validation.go validateJobSpec";
    K8S122: Error, "A Deployment's strategy is not valid (rollingUpdate with Recreate, maxSurge and maxUnavailable both 0, over 100%, progressDeadlineSeconds not above minReadySeconds).", "pkg/apis/apps/validation/validation.go ValidateDeploymentStrategy, ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, ValidateDeploymentSpec";
    K8S123: Error, "A workload's selector is empty.", "pkg/apis/apps/validation/validation.go ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec, ValidateDaemonSetSpec";
    K8S124: Error, "A CronJob's jobTemplate sets a selector (it is generated).", "pkg/apis/batch/validation/validation.go ValidateJobTemplateSpec";
    K8S125: Error, "A probe or lifecycle hook has no handler or more than one (exec, httpGet, tcpSocket, grpc, sleep), or an exec handler has no command.", "pkg/apis/core/validation/validation.go validateHandler, validateExecAction (from validateProbe, validateLifecycle)";
    K8S126: Error, "A probe's terminationGracePeriodSeconds is not positive, or is set on a readiness probe.", "pkg/apis/core/validation/validation.go validateProbe, validateReadinessProbe";
    K8S127: Error, "A CronJob schedule is not a cron expression (5 fields or a @macro), or names a time zone (TZ=, CRON_TZ=).", "pkg/apis/batch/validation/validation.go validateScheduleFormat (k8s.io/kubernetes/pkg/util/parsers ParseCronScheduleWithPanicRecovery, robfig/cron/v3 ParseStandard)";
    K8S128: Error, "A CronJob timeZone is not a time zone the API server can load.", "pkg/apis/batch/validation/validation.go validateTimeZone (time.LoadLocation with the embedded time/tzdata of cmd/kube-apiserver)";
    K8S129: Error, "A workload's selector does not select its Pod template's labels, or a selector expression is not valid (operator, values).", "pkg/apis/apps/validation/validation.go ValidatePodTemplateSpecForReplicaSet, ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSetSpec; staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go ValidateLabelSelectorRequirement";
    K8S130: Error, "A Service nodePort is outside the API server's node port range (30000-32767 by default).", "pkg/registry/core/service/storage/alloc.go initNodePorts (pkg/registry/core/service/portallocator/allocator.go ErrNotInRange)";
    K8S131: Error, "A Service with more than one port has an unnamed port.", "pkg/apis/core/validation/validation.go validateServicePort (requireName)";
    K8S132: Error, "Two ports of one Service share a port and protocol, or a nodePort and protocol.", "pkg/apis/core/validation/validation.go validateService";
    K8S133: Error, "A ClusterIP Service sets a nodePort.", "pkg/apis/core/validation/validation.go validateService";
    K8S135: Error, "A StatefulSet's updateStrategy is not valid (rollingUpdate with OnDelete, maxUnavailable 0, not a percentage or over 100%), or its serviceName is not a DNS-1123 label.", "pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec, validateRollingUpdateStatefulSet";
    K8S136: Error, "A ResourceQuota limits a resource name that is not qualified or, unprefixed, not a standard quota resource.", "pkg/apis/core/validation/validation.go ValidateResourceQuotaSpec, ValidateResourceQuotaResourceName";
    K8S137: Error, "A DaemonSet's rollingUpdate is not valid (after defaulting maxUnavailable 1, maxSurge 0): both non-zero, both zero, negative, not a percentage, or over 100%.", "pkg/apis/apps/validation/validation.go ValidateDaemonSetUpdateStrategy, ValidateRollingUpdateDaemonSet";
    K8S138: Error, "A PriorityClass uses the reserved `system-` prefix, or a value above 1000000000.", "pkg/apis/scheduling/validation/validation.go ValidatePriorityClass";
    K8S139: Error, "A volume has more than one source, a configMap or secret volume lacks its name, a file mode is outside 0-0777, an item's key or path is missing, or its path is absolute or climbs with '..'.", "pkg/apis/core/validation/validation.go validateVolumeSource, validateConfigMapVolumeSource, validateSecretVolumeSource, validateKeyToPath, ValidateLocalNonReservedPath";
    K8S140: Error, "A container's resource request is above its limit (compared as quantities), differs from the limit of a resource that cannot be overcommitted (extended resources, hugepages), has no limit where one is required, or hugepages come without cpu or memory.", "pkg/apis/core/validation/validation.go validateResourceRequirements (ValidateContainerResourceRequirements), pkg/apis/core/helper/helpers.go IsOvercommitAllowed";
    K8S141: Error, "A container resource name is not valid (cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as example.com/gpu).", "pkg/apis/core/validation/validation.go ValidateContainerResourceName, validateResourceName";
    K8S142: Error, "A resource quantity (of a container or a ResourceQuota) is negative, or not a whole number for a resource counted in units (extended resources, object counts).", "pkg/apis/core/validation/validation.go ValidateResourceQuantityValue, ValidateNonnegativeQuantity";
    K8S143: Error, "A LimitRange's min, max, default and defaultRequest are out of order (after defaulting), a non-overcommittable default differs from its defaultRequest, a ratio is below 1, or a Pod limit sets defaults.", "pkg/apis/core/validation/validation.go ValidateLimitRange (pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem)";
    K8S144: Error, "An environment variable is not valid: a name with '=' or non-printable characters, a valueFrom with no source, more than one, or beside a value, or a configMapKeyRef/secretKeyRef without a valid name and key.", "pkg/apis/core/validation/validation.go ValidateEnv, validateEnvVarValueFrom, validateConfigMapKeySelector, validateSecretKeySelector (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsRelaxedEnvVarName)";
    K8S145: Error, "A Job's completion mode does not fit its fields (Indexed without completions, per-index backoff without Indexed, maxFailedIndexes without backoffLimitPerIndex or above completions, limits of 100000).", "pkg/apis/batch/validation/validation.go validateJobSpec (after pkg/apis/batch/v1/defaults.go SetDefaults_Job)";
    K8S146: Error, "A Job's podFailurePolicy rule is not valid (FailIndex without backoffLimitPerIndex, onExitCodes values empty, unordered, repeated or 0 for In, an unknown containerName, a bad pod condition, both or neither of onExitCodes and onPodConditions, too many items).", "pkg/apis/batch/validation/validation.go validatePodFailurePolicy, validatePodFailurePolicyRule, validatePodFailurePolicyRuleOnExitCodes, validatePodFailurePolicyRuleOnPodConditions";
    K8S147: Error, "A user or group ID of a Pod's or container's securityContext is outside 0-2147483647, or a container is privileged with allowPrivilegeEscalation false.", "pkg/apis/core/validation/validation.go validatePodSpecSecurityContext, ValidateSecurityContext (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsValidUserID, IsValidGroupID)";
    K8S148: Error, "A Pod's activeDeadlineSeconds is outside 1-2147483647, or its hostname or subdomain is not a DNS-1123 label.", "pkg/apis/core/validation/validation.go ValidatePodSpec";
    K8S149: Error, "A Pod with os.name windows sets a Linux-only field (runAsUser, fsGroup, capabilities, privileged, allowPrivilegeEscalation, seccompProfile, hostPID, …), or one with os.name linux sets windowsOptions.", "pkg/apis/core/validation/validation.go validateWindows, validateLinux (from ValidatePodSpec)";
    K8S150: Error, "A ConfigMap or Secret key is not a valid config key (letters, digits, '-', '_', '.'; not '.', '..' or starting with '..'), or a ConfigMap key is in data and binaryData.", "pkg/apis/core/validation/validation.go ValidateConfigMap, ValidateSecret (staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go IsConfigMapKey)";
    K8S151: Error, "A Secret lacks a key its type requires (tls.crt and tls.key, .dockerconfigjson, .dockercfg, username or password, ssh-privatekey, the service-account annotation), or a docker config is not JSON.", "pkg/apis/core/validation/validation.go ValidateSecret";
    K8S155: Error, "A PersistentVolume or claim has no access modes, an unknown or mixed ReadWriteOncePod mode, no storage request, or a capacity that is missing, not only storage, or not positive.", "pkg/apis/core/validation/validation.go ValidatePersistentVolumeSpec, ValidatePersistentVolumeClaimSpec (pkg/apis/apps/validation/validation.go validateVolumeClaimTemplates)";
    K8S156: Error, "A StorageClass's provisioner is not a qualified name, or its reclaimPolicy or volumeBindingMode is not supported.", "pkg/apis/storage/validation/validation.go ValidateStorageClass (validateProvisioner, validateReclaimPolicy, validateVolumeBindingMode)";
    K8S157: Error, "A toleration is not valid: a bad key, an empty key without operator Exists, a value with Exists or not a label value, tolerationSeconds without effect NoExecute.", "pkg/apis/core/validation/validation.go ValidateTolerations";
    K8S158: Error, "A Pod's DNS settings are not valid: dnsPolicy None without dnsConfig nameservers, more than 3 nameservers or 32 search paths, a resolver option without a name.", "pkg/apis/core/validation/validation.go validatePodDNSConfig";
    K8S159: Error, "An affinity is not valid: no nodeSelectorTerms, a node selector expression whose values do not fit its operator (In/NotIn need values, Exists/DoesNotExist none, Gt/Lt one), a bad key or value, a weight outside 1-100, a pod affinity term without topologyKey.", "pkg/apis/core/validation/validation.go validateNodeAffinity, ValidateNodeSelector, ValidateNodeSelectorRequirement, ValidatePreferredSchedulingTerms, validatePodAffinityTerm, validateWeightedPodAffinityTerms";
    K8S160: Error, "A PodDisruptionBudget sets both minAvailable and maxUnavailable, or one is negative, not a percentage, or over 100%.", "pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec (pkg/apis/apps/validation/validation.go ValidatePositiveIntOrPercent, IsNotMoreThan100Percent)";
    K8S161: Error, "A HorizontalPodAutoscaler's bounds are wrong (minReplicas negative, or 0 without an Object or External metric; maxReplicas below 1 or below minReplicas) or a resource metric target or a scaling behavior (stabilization window 0-3600, policy value above 0, period 1-1800) is not valid.", "pkg/apis/autoscaling/validation/validation.go validateHorizontalPodAutoscalerSpec, validateMetrics, validateResourceSource, validateMetricTarget, validateScalingRules, validateScalingPolicy (HPAScaleToZero on, pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go)";
    K8S165: Error, "An RBAC rule has no verbs, a resource rule no apiGroups or resources, or nonResourceURLs are in a Role or mixed with resources.", "pkg/apis/rbac/validation/validation.go ValidatePolicyRule";
    K8S166: Error, "A binding's roleRef (apiGroup, kind: Role or ClusterRole; ClusterRole only for a ClusterRoleBinding) or a subject (kind, apiGroup, namespace) is not valid.", "pkg/apis/rbac/validation/validation.go ValidateRoleBinding, ValidateClusterRoleBinding, ValidateRoleBindingSubject";
    K8S170: Error, "An Ingress path is not valid for its pathType (not absolute, '//', '/./', '/../', '%2f', ending in '/.' or '/..'), a pathType is missing, or a rule has no paths.", "pkg/apis/networking/validation/validation.go validateHTTPIngressPath, validateHTTPIngressRuleValue";
    K8S171: Error, "An Ingress rule host is an IP address or not a (wildcard) DNS-1123 subdomain, or a TLS host or secretName is not valid.", "pkg/apis/networking/validation/validation.go validateIngressRules, validateIngressTLS";
    K8S172: Error, "An Ingress backend is not valid (neither or both of service and resource, service port name and number both or neither, bad name or number), or the Ingress has neither rules nor defaultBackend.", "pkg/apis/networking/validation/validation.go validateIngressBackend, ValidateIngressSpec";
    K8S175: Error, "A NetworkPolicy port is not valid (protocol, port number or name, endPort below port or without a numeric port).", "pkg/apis/networking/validation/validation.go ValidateNetworkPolicyPort";
    K8S176: Error, "A NetworkPolicy ipBlock except is not a strict subset of its cidr.", "pkg/apis/networking/validation/validation.go ValidateIPBlock";
    CRD001: Error, "A CRD file cannot be read.", "";
    CRD002: Warning, "A file in the CRD folder is not a CustomResourceDefinition with a schema.", "";
    // Lints.
    LINT001: Error, "A Job's or ReplicationController's selector does not match its Pod template's labels (apps workloads: K8S129).", "pkg/apis/apps/validation/validation.go ValidateDeploymentSpec (selector does not match template labels)";
    LINT002: Warning, "A Service selects labels no Pod template of the lab has.", "";
    LINT003: Warning, "An Ingress backend names a Service (or port) the lab does not define.", "";
    LINT004: Warning, "A manifest refers to an object the lab neither defines nor creates.", "";
    LINT005: Warning, "An image has no tag, or uses :latest.", "";
    LINT006: Error, "Retired: a limit below its request is now K8S140, judged as the API server judges it.", "pkg/apis/core/validation/validation.go ValidateResourceRequirements";
    LINT007: Warning, "A probe or Service targets a port the container does not declare.", "";
    LINT008: Warning, "A lab manifest sets metadata.namespace (labs run in a namespace of their own).", "";
    // Site and themes.
    THEME001: Error, "A theme file cannot be read.", "";
    THEME002: Error, "A theme template does not compile.", "";
    THEME003: Error, "A page cannot be rendered with the theme.", "";
    SITE001: Error, "A file to publish cannot be read.", "";
    // `kubebook validate` on manifest files.
    VAL001: Error, "An input file cannot be read (missing, not a regular file, over 8 MiB or not UTF-8).", "";
    VAL002: Error, "A YAML document is not a Kubernetes object: it has no `kind`.", "";
    VAL003: Error, "A custom resource has no schema: its CRD was not given (--crds) or found in the input.", "";
}

/// The registry row of a code.
pub fn get(id: &str) -> Option<&'static Code> {
    ALL.iter().find(|c| c.id == id)
}

/// `docs/diagnostics.md`, generated from the registry.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Diagnostics\n\nGenerated from `src/diag/codes.rs` by `KUBEBOOK_WRITE_DOCS=1 cargo test --lib diag::codes`;\ndo not edit by hand. Every code kubebook reports, its severity, what it means, and the\nKubernetes rule it mirrors (file and function in kubernetes/kubernetes) where there is one.\n\n| code | severity | summary | upstream rule |\n|---|---|---|---|\n",
    );
    for c in ALL {
        out.push_str(&format!(
            "| <a id=\"{}\"></a>`{}` | {} | {} | {} |\n",
            c.anchor(),
            c.id,
            match c.severity {
                Level::Error => "error",
                Level::Warning => "warning",
            },
            c.summary.replace('|', "\\|"),
            if c.upstream.is_empty() {
                "kubebook".to_string()
            } else {
                format!("`{}`", c.upstream)
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in ALL {
            assert!(seen.insert(c.id), "{} twice", c.id);
            assert!(
                c.id.chars()
                    .all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()),
                "{}",
                c.id
            );
            assert!(c.summary.ends_with('.'), "{}", c.id);
        }
    }

    /// `docs/diagnostics.md` is the registry; regenerate it with KUBEBOOK_WRITE_DOCS=1.
    #[test]
    fn docs_page_matches_registry() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let want = markdown();
        if std::env::var_os("KUBEBOOK_WRITE_DOCS").is_some() {
            std::fs::write(path, &want).expect("write docs/diagnostics.md");
            return;
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "docs/diagnostics.md differs from the registry; run KUBEBOOK_WRITE_DOCS=1 cargo test --lib diag::codes"
        );
    }

    /// No code is spelled as a string literal outside this file.
    #[test]
    fn no_code_literal_outside_the_registry() {
        let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut bad = Vec::new();
        for e in walkdir::WalkDir::new(src).into_iter().flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) != Some("rs") || p.ends_with("codes.rs") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap_or_default();
            for c in ALL {
                if text.contains(&format!("\"{}\"", c.id)) {
                    bad.push(format!("{}: \"{}\"", p.display(), c.id));
                }
            }
        }
        assert!(bad.is_empty(), "use diag::codes constants: {bad:?}");
    }
}
