//! XML canonicalization: Canonical XML 1.0, Canonical XML 1.1 and Exclusive XML
//! Canonicalization 1.0, each with or without comments.
//!
//! Specifications implemented (W3C Recommendations):
//! - Canonical XML Version 1.0, 15 March 2001 (`C14N10` below);
//! - Canonical XML Version 1.1, 2 May 2008 (`C14N11`);
//! - Exclusive XML Canonicalization Version 1.0, 18 July 2002 (`EXC`).
//!
//! # Why this is written here
//!
//! XML-DSig needs canonicalization of *document subsets*: the whole document minus the
//! enveloped `ds:Signature` (XML-DSig 1.1 §6.6.4), the subtree of an element found by `Id`
//! with the namespaces and `xml:*` attributes it inherits from omitted ancestors (C14N10 §2.4,
//! C14N11 §2.4), and `ds:SignedInfo` in the context of its document (XML-DSig 1.1 §4.3.1). The
//! Rust crates that canonicalize either bind libxml2 (C code, against the pure-Rust policy of the
//! workspace), or accept only a whole document as a string with no way to select a node-set, or
//! are young single-maintainer projects that pull in `ring` and a second XML stack. The
//! algorithm is small once the input tree is given, so it is written over `roxmltree` (already a
//! workspace dependency) and tested against the examples of the W3C specifications.
//!
//! # Node-sets
//!
//! XPath node-sets are represented only in the shapes XML-DSig same-document references
//! produce (`NodeSet`): an apex (the document node or an element) with all its descendants,
//! less some excluded subtrees, with or without comment nodes. Every element of such a set
//! other than the apex has its parent in the set, which keeps the "nearest output ancestor"
//! rules of C14N10 §2.3 and EXC §3 simple: it is the parent.
//!
//! The traversal is iterative (no recursion), so deeply nested input cannot exhaust the stack.

use std::collections::HashMap;

use roxmltree::{Node, NodeId, NodeType};

use crate::xml::{self, NS_XML};

/// URI of Canonical XML 1.0 (omits comments).
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// URI of Canonical XML 1.0 with comments.
pub const C14N10_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// URI of Canonical XML 1.1 (omits comments).
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// URI of Canonical XML 1.1 with comments.
pub const C14N11_COMMENTS: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// URI of Exclusive XML Canonicalization 1.0 (omits comments).
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// URI of Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// Which canonicalization algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum C14nKind {
    /// Canonical XML 1.0 (inclusive).
    Inclusive10,
    /// Canonical XML 1.1 (inclusive; `xml:id` is not inherited, C14N11 §2.4).
    Inclusive11,
    /// Exclusive XML Canonicalization 1.0.
    Exclusive10,
}

/// A canonicalization method as named by a `ds:CanonicalizationMethod` or `ds:Transform`
/// `Algorithm` URI, with the `InclusiveNamespaces PrefixList` parameter of exclusive c14n.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct C14nMethod {
    /// The algorithm.
    pub kind: C14nKind,
    /// Whether comment nodes of the input node-set are output.
    pub with_comments: bool,
    /// For [`C14nKind::Exclusive10`] only: the prefixes to treat as in inclusive
    /// canonicalization (EXC §3; `#default` names the default namespace as `""`).
    pub inclusive_prefixes: Vec<String>,
}

impl C14nMethod {
    /// A method without parameters.
    pub fn new(kind: C14nKind, with_comments: bool) -> Self {
        Self {
            kind,
            with_comments,
            inclusive_prefixes: Vec::new(),
        }
    }

    /// The method named by an algorithm URI (XML-DSig 1.1 §6.5), or `None` if the URI names no
    /// canonicalization algorithm.
    pub fn from_uri(uri: &str) -> Option<Self> {
        let (kind, with_comments) = match uri {
            C14N10 => (C14nKind::Inclusive10, false),
            C14N10_COMMENTS => (C14nKind::Inclusive10, true),
            C14N11 => (C14nKind::Inclusive11, false),
            C14N11_COMMENTS => (C14nKind::Inclusive11, true),
            EXC_C14N => (C14nKind::Exclusive10, false),
            EXC_C14N_COMMENTS => (C14nKind::Exclusive10, true),
            _ => return None,
        };
        Some(Self::new(kind, with_comments))
    }

    /// The algorithm URI of this method.
    pub fn uri(&self) -> &'static str {
        match (self.kind, self.with_comments) {
            (C14nKind::Inclusive10, false) => C14N10,
            (C14nKind::Inclusive10, true) => C14N10_COMMENTS,
            (C14nKind::Inclusive11, false) => C14N11,
            (C14nKind::Inclusive11, true) => C14N11_COMMENTS,
            (C14nKind::Exclusive10, false) => EXC_C14N,
            (C14nKind::Exclusive10, true) => EXC_C14N_COMMENTS,
        }
    }

    /// Sets the `InclusiveNamespaces PrefixList` from its whitespace-separated text
    /// (EXC §3.1), mapping `#default` to the empty prefix.
    pub fn with_prefix_list(mut self, list: &str) -> Self {
        self.inclusive_prefixes = list
            .split_ascii_whitespace()
            .map(|p| {
                if p == "#default" {
                    String::new()
                } else {
                    p.to_owned()
                }
            })
            .collect();
        self
    }
}

/// A document subset in the shapes produced by XML-DSig same-document references.
#[derive(Debug, Clone)]
pub(crate) struct NodeSet<'a, 'input> {
    /// The document node (whole document) or an element (its subtree).
    pub(crate) apex: Node<'a, 'input>,
    /// Subtrees removed from the set (the enveloped-signature transform, XML-DSig 1.1 §6.6.4).
    pub(crate) excluded: Vec<NodeId>,
    /// Whether comment nodes are in the set. `URI=""` and `URI="#id"` remove them
    /// (XML-DSig 1.1 §4.3.3.3); `#xpointer(/)` and `#xpointer(id('x'))` keep them.
    pub(crate) comments: bool,
}

impl<'a, 'input> NodeSet<'a, 'input> {
    pub(crate) fn subtree(apex: Node<'a, 'input>, comments: bool) -> Self {
        Self {
            apex,
            excluded: Vec::new(),
            comments,
        }
    }
}

/// Canonicalizes a node-set into `out`.
pub(crate) fn canonicalize_node_set(set: &NodeSet<'_, '_>, method: &C14nMethod, out: &mut Vec<u8>) {
    let comments = set.comments && method.with_comments;
    let mut rendered = Rendered::default();
    // Depth below which output is suppressed (inside an excluded subtree).
    let mut skipping: Option<NodeId> = None;
    let apex_is_document = set.apex.node_type() == NodeType::Root;
    let mut seen_document_element = false;

    for edge in Traverse::new(set.apex) {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                if set.excluded.contains(&node.id()) {
                    skipping = Some(node.id());
                    continue;
                }
                // C14N10 §2.3: nodes outside the document element get a line feed between them
                // and the document element.
                let top_level = apex_is_document
                    && node
                        .parent()
                        .is_some_and(|p| p.node_type() == NodeType::Root);
                match node.node_type() {
                    NodeType::Root => {}
                    NodeType::Element => {
                        if top_level {
                            seen_document_element = true;
                        }
                        open_element(node, set, method, &mut rendered, out);
                    }
                    NodeType::Text => {
                        if !top_level {
                            escape_text(node.text().unwrap_or(""), out);
                        }
                    }
                    NodeType::Comment => {
                        if comments {
                            if top_level && seen_document_element {
                                out.push(b'\n');
                            }
                            out.extend_from_slice(b"<!--");
                            out.extend_from_slice(node.text().unwrap_or("").as_bytes());
                            out.extend_from_slice(b"-->");
                            if top_level && !seen_document_element {
                                out.push(b'\n');
                            }
                        }
                    }
                    NodeType::PI => {
                        if let Some(pi) = node.pi() {
                            if top_level && seen_document_element {
                                out.push(b'\n');
                            }
                            out.extend_from_slice(b"<?");
                            out.extend_from_slice(pi.target.as_bytes());
                            if let Some(value) = pi.value.filter(|v| !v.is_empty()) {
                                out.push(b' ');
                                out.extend_from_slice(value.as_bytes());
                            }
                            out.extend_from_slice(b"?>");
                            if top_level && !seen_document_element {
                                out.push(b'\n');
                            }
                        }
                    }
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if node.is_element() {
                    out.extend_from_slice(b"</");
                    out.extend_from_slice(xml::element_qname(node).as_bytes());
                    out.push(b'>');
                    rendered.pop();
                }
            }
        }
    }
}

/// A step of a document-order walk of a subtree.
#[derive(Clone, Copy)]
enum Edge<'a, 'input> {
    Open(Node<'a, 'input>),
    Close(Node<'a, 'input>),
}

/// Iterative document-order walk of a subtree, yielding each node's start and end.
struct Traverse<'a, 'input> {
    root: Node<'a, 'input>,
    edge: Option<Edge<'a, 'input>>,
    done: bool,
}

impl<'a, 'input> Traverse<'a, 'input> {
    fn new(root: Node<'a, 'input>) -> Self {
        Self {
            root,
            edge: None,
            done: false,
        }
    }
}

impl<'a, 'input> Iterator for Traverse<'a, 'input> {
    type Item = Edge<'a, 'input>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match self.edge {
            None => Some(Edge::Open(self.root)),
            Some(Edge::Open(n)) => Some(n.first_child().map_or(Edge::Close(n), Edge::Open)),
            Some(Edge::Close(n)) => {
                if n == self.root {
                    None
                } else if let Some(s) = n.next_sibling() {
                    Some(Edge::Open(s))
                } else {
                    n.parent().map(Edge::Close)
                }
            }
        };
        if next.is_none() {
            self.done = true;
        }
        self.edge = next;
        next
    }
}

/// The namespace declarations rendered by the output ancestors of the current element
/// (prefix, `""` for the default namespace → URI), with an undo log per open element.
#[derive(Default)]
struct Rendered {
    current: HashMap<String, String>,
    undo: Vec<Vec<(String, Option<String>)>>,
}

impl Rendered {
    fn get(&self, prefix: &str) -> Option<&str> {
        self.current.get(prefix).map(String::as_str)
    }
    fn push_frame(&mut self, changes: &[(String, String)]) {
        let mut log = Vec::with_capacity(changes.len());
        for (p, u) in changes {
            let old = self.current.insert(p.clone(), u.clone());
            log.push((p.clone(), old));
        }
        self.undo.push(log);
    }
    fn pop(&mut self) {
        if let Some(log) = self.undo.pop() {
            for (p, old) in log.into_iter().rev() {
                match old {
                    Some(u) => {
                        self.current.insert(p, u);
                    }
                    None => {
                        self.current.remove(&p);
                    }
                }
            }
        }
    }
}

fn open_element(
    node: Node<'_, '_>,
    set: &NodeSet<'_, '_>,
    method: &C14nMethod,
    rendered: &mut Rendered,
    out: &mut Vec<u8>,
) {
    let qname = xml::element_qname(node);
    // In-scope namespaces of the element: prefix ("" = default) → URI. The xml namespace is
    // never rendered (C14N10 §2.3, EXC §3).
    let in_scope: Vec<(String, String)> = node
        .namespaces()
        .map(|ns| (ns.name().unwrap_or("").to_owned(), ns.uri().to_owned()))
        .filter(|(p, u)| p != "xml" && u != NS_XML)
        .collect();
    let lookup = |prefix: &str| -> String {
        in_scope
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, u)| u.clone())
            .unwrap_or_default()
    };

    let mut decls: Vec<(String, String)> = Vec::new();
    match method.kind {
        C14nKind::Inclusive10 | C14nKind::Inclusive11 => {
            // C14N10 §2.3 (namespace axis): a namespace node is rendered unless the nearest
            // output ancestor rendered the same prefix with the same value; the default
            // namespace is undeclared with xmlns="" when the element has none but the nearest
            // output ancestor had a non-empty one.
            for (p, u) in &in_scope {
                if p.is_empty() && u.is_empty() {
                    continue;
                }
                if rendered.get(p) != Some(u.as_str()) {
                    decls.push((p.clone(), u.clone()));
                }
            }
            let default = lookup("");
            if default.is_empty() && rendered.get("").is_some_and(|u| !u.is_empty()) {
                decls.push((String::new(), String::new()));
            }
        }
        C14nKind::Exclusive10 => {
            // EXC §3: only visibly utilized namespaces (the element's own prefix, or the default
            // namespace for an unprefixed element, and the prefixes of its attributes), plus
            // those of the InclusiveNamespaces PrefixList handled as in C14N10.
            let mut utilized: Vec<String> = vec![xml::prefix_of(&qname).to_owned()];
            for attr in node.attributes() {
                if attr.namespace().is_some() && attr.namespace() != Some(NS_XML) {
                    let aq = xml::attribute_qname(node, &attr);
                    let p = xml::prefix_of(&aq);
                    if !p.is_empty() && !utilized.iter().any(|u| u == p) {
                        utilized.push(p.to_owned());
                    }
                }
            }
            for p in &method.inclusive_prefixes {
                if !utilized.contains(p) {
                    // Inclusive treatment only for prefixes actually in scope.
                    if p.is_empty() || in_scope.iter().any(|(q, _)| q == p) {
                        utilized.push(p.clone());
                    }
                }
            }
            for p in utilized {
                if p == "xml" {
                    continue;
                }
                let u = lookup(&p);
                if u.is_empty() {
                    // Only the default namespace can be "undeclared".
                    if p.is_empty() && rendered.get("").is_some_and(|r| !r.is_empty()) {
                        decls.push((String::new(), String::new()));
                    }
                    continue;
                }
                if rendered.get(&p) != Some(u.as_str()) {
                    decls.push((p, u));
                }
            }
        }
    }
    // Namespace nodes in lexicographic order of local name, default first (C14N10 §2.2).
    decls.sort();
    decls.dedup();

    // Attribute nodes, sorted by namespace URI then local name (C14N10 §2.2).
    let mut attrs: Vec<(String, String, String, String)> = node
        .attributes()
        .map(|a| {
            (
                a.namespace().unwrap_or("").to_owned(),
                a.name().to_owned(),
                xml::attribute_qname(node, &a),
                a.value().to_owned(),
            )
        })
        .collect();
    // Inclusive c14n of a document subset: an element whose parent is not in the node-set
    // receives the xml:* attributes of its ancestors it does not have itself (C14N10 §2.4);
    // C14N11 §2.4 limits this to xml:lang and xml:space (xml:id is not inherited; xml:base
    // fix-up is not implemented, see the crate documentation).
    if node == set.apex && method.kind != C14nKind::Exclusive10 {
        let mut ancestor = node.parent_element();
        while let Some(a) = ancestor {
            for attr in a.attributes().filter(|x| x.namespace() == Some(NS_XML)) {
                let name = attr.name();
                if method.kind == C14nKind::Inclusive11 && name != "lang" && name != "space" {
                    continue;
                }
                if !attrs
                    .iter()
                    .any(|(ns, local, _, _)| ns == NS_XML && local == name)
                {
                    attrs.push((
                        NS_XML.to_owned(),
                        name.to_owned(),
                        format!("xml:{name}"),
                        attr.value().to_owned(),
                    ));
                }
            }
            ancestor = a.parent_element();
        }
    }
    attrs.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));

    out.push(b'<');
    out.extend_from_slice(qname.as_bytes());
    for (p, u) in &decls {
        if p.is_empty() {
            out.extend_from_slice(b" xmlns=\"");
        } else {
            out.extend_from_slice(b" xmlns:");
            out.extend_from_slice(p.as_bytes());
            out.extend_from_slice(b"=\"");
        }
        escape_attr(u, out);
        out.push(b'"');
    }
    for (_, _, q, v) in &attrs {
        out.push(b' ');
        out.extend_from_slice(q.as_bytes());
        out.extend_from_slice(b"=\"");
        escape_attr(v, out);
        out.push(b'"');
    }
    out.push(b'>');
    rendered.push_frame(&decls);
}

/// Text node escaping (C14N10 §2.3): `&`, `<`, `>` and carriage return.
fn escape_text(text: &str, out: &mut Vec<u8>) {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Attribute value escaping (C14N10 §2.3): `&`, `<`, `"`, tab, line feed, carriage return.
fn escape_attr(value: &str, out: &mut Vec<u8>) {
    for c in value.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' => out.extend_from_slice(b"&#x9;"),
            '\n' => out.extend_from_slice(b"&#xA;"),
            '\r' => out.extend_from_slice(b"&#xD;"),
            _ => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Canonicalizes an XML document, or the subtree of the element whose `Id`/`ID`/`id`/`xml:id`
/// attribute is `id`, with `method`.
///
/// This is the octet-stream entry point: comments are output when the method keeps them. The
/// document is parsed with DTDs refused.
pub fn canonicalize(
    xml: &str,
    method: &C14nMethod,
    id: Option<&str>,
) -> Result<Vec<u8>, crate::Error> {
    let doc = xml::parse(xml)?;
    let apex = match id {
        None => doc.root(),
        Some(id) => {
            let index = xml::IdIndex::build(&doc);
            match index.get(&doc, id) {
                xml::IdLookup::Unique(node) => node,
                xml::IdLookup::Missing => return Err(crate::Error::IdNotFound(id.to_owned())),
                xml::IdLookup::Duplicate => return Err(crate::Error::DuplicateId(id.to_owned())),
            }
        }
    };
    let mut out = Vec::new();
    canonicalize_node_set(&NodeSet::subtree(apex, true), method, &mut out);
    Ok(out)
}
