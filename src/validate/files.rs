//! `kubebook validate`: Kubernetes manifest files (any, not only a book's) judged as the API
//! server would, through the same [`judge`] as `check`. Files are read and judged on every
//! core; the result keeps the order of the inputs.

use super::crd;
use super::judge::{self, Status};
use super::yaml::{self, Document};
use crate::diag::codes;
use crate::diag::{Diagnostic, Report, Sources, Span};
use crate::fsx;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Where manifests come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// Standard input, read once (named `stdin` in reports).
    Stdin,
}

impl Input {
    /// The name reports give it.
    pub fn shown(&self) -> PathBuf {
        match self {
            Input::File(p) => p.clone(),
            Input::Stdin => PathBuf::from("stdin"),
        }
    }
}

/// A path on the command line that names nothing to validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputsError(pub String);

/// Extensions of manifest files found when walking a directory. Files named one by one are
/// read whatever their name.
const MANIFEST_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// The inputs named by `args`: `-` is standard input, a directory is every `*.yaml`, `*.yml`
/// and `*.json` below it (sorted, hidden directories such as `.git` left out, links not
/// followed), a file is itself.
pub fn inputs(args: &[PathBuf]) -> Result<Vec<Input>, InputsError> {
    let mut out = Vec::new();
    let mut stdin = false;
    for a in args {
        if a.as_os_str() == "-" {
            if stdin {
                return Err(InputsError("`-` (standard input) is given twice".into()));
            }
            stdin = true;
            out.push(Input::Stdin);
            continue;
        }
        let meta = std::fs::metadata(a).map_err(|e| {
            InputsError(format!(
                "{}: {}",
                a.display(),
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
                    _ => e.to_string(),
                }
            ))
        })?;
        if !meta.is_dir() {
            out.push(Input::File(a.clone()));
            continue;
        }
        let walk = walkdir::WalkDir::new(a)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for e in walk {
            let e = e.map_err(|e| InputsError(format!("{}: {e}", a.display())))?;
            let manifest = e.file_type().is_file()
                && e.path()
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| {
                        MANIFEST_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                    });
            if manifest {
                out.push(Input::File(e.into_path()));
            }
        }
    }
    Ok(out)
}

/// What to judge and what to let pass.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Custom resources without a known CRD are skipped instead of being errors.
    pub ignore_missing_schemas: bool,
    /// Kinds not judged: `Kind` or `apiVersion/Kind` (e.g. `Secret`, `example.com/v1/Widget`).
    pub skip: Vec<String>,
}

/// The verdict on one resource, in kubeconform's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Valid,
    /// The API server would refuse it.
    Invalid,
    /// It could not be judged: unreadable file, broken YAML, no `kind`, no schema.
    Error,
    /// Not judged on purpose: configuration files, `--skip`, `--ignore-missing-schemas`.
    Skipped,
}

/// One resource (a document, or an item of a List) or one input that yielded none.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    pub file: PathBuf,
    /// 1-based document number in its file (0 for a file that could not be read or parsed).
    pub document: usize,
    pub line: usize,
    #[serde(rename = "version")]
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub verdict: Verdict,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything `validate` found, in input order.
#[derive(Default)]
pub struct Outcome {
    pub files: usize,
    pub resources: Vec<Resource>,
    /// Texts of the files that have diagnostics, for code frames.
    pub sources: Sources,
}

impl Outcome {
    pub fn count(&self, v: Verdict) -> usize {
        self.resources.iter().filter(|r| r.verdict == v).count()
    }
    /// kubeconform's rule: any invalid resource or error fails the run.
    pub fn failed(&self) -> bool {
        self.resources
            .iter()
            .any(|r| matches!(r.verdict, Verdict::Invalid | Verdict::Error))
    }
}

/// The text of every input, read on all cores (standard input on the caller's thread).
pub fn read_all(inputs: &[Input]) -> Vec<Result<String, String>> {
    let read = |i: &Input| match i {
        Input::File(p) => {
            fsx::read_regular_text(p, fsx::MAX_INPUT_BYTES).map_err(|e| e.to_string())
        }
        Input::Stdin => {
            use std::io::Read;
            let mut bytes = Vec::new();
            match std::io::stdin()
                .lock()
                .take(fsx::MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
            {
                Err(e) => Err(e.to_string()),
                Ok(_) if bytes.len() as u64 > fsx::MAX_INPUT_BYTES => {
                    Err(fsx::InputError::TooLarge(fsx::MAX_INPUT_BYTES).to_string())
                }
                Ok(_) => String::from_utf8(bytes).map_err(|e| {
                    format!(
                        "it is not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    )
                }),
            }
        }
    };
    crate::par::map(inputs, read)
}

/// Teach `crds` every CustomResourceDefinition found in `texts`, so custom resources in the
/// same input are judged. Only texts that name the kind are parsed twice.
pub fn learn_crds(texts: &[Result<String, String>], crds: &mut crd::Registry) {
    for text in texts.iter().flatten() {
        if !text.contains("CustomResourceDefinition") {
            continue;
        }
        if let Ok(docs) = yaml::parse_documents(text) {
            for d in docs {
                crds.add_from_value(&Document::new(d).value);
            }
        }
    }
}

/// Load CRDs from files or directories (recursively) given with `--crds`; problems land in
/// `report`.
pub fn load_crds(paths: &[PathBuf], crds: &mut crd::Registry, report: &mut Report) {
    for p in paths {
        let files = match inputs(std::slice::from_ref(p)) {
            Ok(f) => f,
            Err(InputsError(e)) => {
                report.push(
                    Diagnostic::error(codes::CRD001, format!("cannot read CRDs from {e}"))
                        .at(Span::new(p, 1, 1)),
                );
                continue;
            }
        };
        for input in files {
            let shown = input.shown();
            let text = match &input {
                Input::File(f) => fsx::read_regular_text(f, fsx::MAX_INPUT_BYTES),
                Input::Stdin => continue,
            };
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    report.push(
                        Diagnostic::error(
                            codes::CRD001,
                            format!("cannot read {}: {e}", shown.display()),
                        )
                        .at(Span::new(&shown, 1, 1)),
                    );
                    continue;
                }
            };
            match yaml::parse_documents(&text) {
                Ok(docs) => {
                    for d in docs {
                        let doc = Document::new(d);
                        if !doc.value.is_null() && !crds.add_from_value(&doc.value) {
                            report.push(
                                Diagnostic::warning(codes::CRD002, "not a CustomResourceDefinition with a schema")
                                    .at(Span::new(&shown, doc.start.line, doc.start.col))
                                    .with_hint("--crds takes apiextensions.k8s.io/v1 CustomResourceDefinitions"),
                            );
                        }
                    }
                }
                Err(e) => report.push(
                    Diagnostic::error(e.code, format!("invalid YAML: {}", e.message))
                        .at(Span::new(&shown, e.pos.line, e.pos.col)),
                ),
            }
        }
    }
}

/// Judge the texts of `inputs` (as [`read_all`] gave them) on all cores.
pub fn validate(
    inputs: &[Input],
    texts: Vec<Result<String, String>>,
    crds: &crd::Registry,
    opts: &Options,
) -> Outcome {
    let work: Vec<(PathBuf, Result<String, String>)> =
        inputs.iter().map(Input::shown).zip(texts).collect();
    let judged = crate::par::map(&work, |(file, text)| judge_file(file, text, crds, opts));
    let mut out = Outcome {
        files: inputs.len(),
        ..Outcome::default()
    };
    for ((file, text), resources) in work.into_iter().zip(judged) {
        if resources.iter().any(|r| !r.diagnostics.is_empty())
            && let Ok(text) = text
        {
            out.sources.insert(file, text);
        }
        out.resources.extend(resources);
    }
    out
}

fn judge_file(
    file: &Path,
    text: &Result<String, String>,
    crds: &crd::Registry,
    opts: &Options,
) -> Vec<Resource> {
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            return vec![unjudged(
                file,
                Diagnostic::error(
                    codes::VAL001,
                    format!("cannot read {}: {e}", file.display()),
                )
                .at(Span::new(file, 1, 1))
                .with_hint("name regular text files of at most 8 MiB, or `-` for standard input"),
            )];
        }
    };
    let docs = match yaml::parse_documents(text) {
        Ok(d) => d,
        Err(e) => {
            return vec![unjudged(
                file,
                Diagnostic::error(e.code, format!("invalid YAML: {}", e.message))
                    .at(Span::new(file, e.pos.line, e.pos.col))
                    .with_hint("check indentation and quoting around this position"),
            )];
        }
    };
    let mut out = Vec::new();
    for (n, node) in docs.into_iter().enumerate() {
        let doc = Document::new(node);
        for j in judge::judge_document(&doc, crds) {
            out.extend(resource(file, n + 1, &doc, &j, opts));
        }
    }
    out
}

/// A file that could not be judged at all (unreadable, or not YAML), as one resource.
fn unjudged(file: &Path, d: Diagnostic) -> Resource {
    Resource {
        file: file.to_path_buf(),
        document: 0,
        line: d.span.as_ref().map_or(1, |s| s.line),
        api_version: String::new(),
        kind: String::new(),
        name: String::new(),
        verdict: Verdict::Error,
        diagnostics: vec![d],
    }
}

/// The judged object `j` of document number `document` as a resource with its verdict
/// (`--skip` and `--ignore-missing-schemas` applied); None for an empty document.
fn resource(
    file: &Path,
    document: usize,
    doc: &Document,
    j: &judge::Judgement,
    opts: &Options,
) -> Option<Resource> {
    let mut r = Resource {
        file: file.to_path_buf(),
        document,
        line: j.start.line,
        api_version: j.api_version.clone(),
        kind: j.kind.clone(),
        name: j.name.clone(),
        verdict: Verdict::Valid,
        diagnostics: j
            .findings
            .iter()
            .map(|f| f.diag.clone().at(Span::new(file, f.pos.line, f.pos.col)))
            .collect(),
    };
    let skipped = opts
        .skip
        .iter()
        .any(|s| *s == j.kind || *s == format!("{}/{}", j.api_version, j.kind));
    r.verdict = match j.status {
        Status::Empty => return None,
        _ if skipped => {
            r.diagnostics.clear();
            Verdict::Skipped
        }
        Status::Config => Verdict::Skipped,
        Status::NotAnObject => {
            r.diagnostics.push(
                Diagnostic::error(codes::VAL002, "this document is not a Kubernetes object: it has no `kind`")
                    .at(Span::new(file, doc.start.line, doc.start.col))
                    .with_hint("validate only manifests (a values file or kustomize patch is not one), or add `apiVersion` and `kind`"),
            );
            Verdict::Error
        }
        Status::NoSchema if opts.ignore_missing_schemas => {
            r.diagnostics.clear();
            Verdict::Skipped
        }
        Status::NoSchema => {
            // The warning `check` gives becomes an error here, as in kubeconform:
            // nothing was checked.
            let d = r.diagnostics.drain(..).next();
            r.diagnostics.push(no_schema(j, d.and_then(|d| d.span)));
            Verdict::Error
        }
        Status::Undecodable => Verdict::Invalid,
        Status::Checked if j.has_errors() => Verdict::Invalid,
        Status::Checked => Verdict::Valid,
    };
    Some(r)
}

/// VAL003 for a custom resource whose CRD is unknown, at the span of the finding it replaces.
fn no_schema(j: &judge::Judgement, at: Option<Span>) -> Diagnostic {
    Diagnostic::error(
        codes::VAL003,
        format!(
            "no schema for {} {}: its CustomResourceDefinition is not known",
            j.api_version, j.kind
        ),
    )
    .at_opt(at)
    .with_hint(
        "pass the CRD with --crds FILE|DIR (or include it in the input), or --ignore-missing-schemas",
    )
}
