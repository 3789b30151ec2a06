//! XML helpers over `roxmltree`: parsing with DTDs refused, qualified names as written in the
//! source, `Id` lookup, line numbers, and child-element navigation.

use std::collections::HashMap;

use roxmltree::{Attribute, Document, Node, ParsingOptions};

/// The XML namespace, bound to the `xml` prefix by definition.
pub(crate) const NS_XML: &str = "http://www.w3.org/XML/1998/namespace";
/// XML-DSig namespace (XML-DSig 1.1 §1.3).
pub(crate) const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XAdES 1.3.2 namespace (ETSI EN 319 132-1).
pub(crate) const NS_XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// XAdES 1.4.1 namespace (ETSI EN 319 132-1; validation-data elements).
pub(crate) const NS_XADES141: &str = "http://uri.etsi.org/01903/v1.4.1#";

/// Upper bound on the number of nodes of a document, to bound memory on hostile input.
const NODES_LIMIT: u32 = 4_000_000;

/// Deepest element nesting accepted. `roxmltree` parses nested elements recursively, so a
/// hostile document nested a hundred thousand levels deep would overflow the stack; DCCs
/// nest about twenty levels.
pub(crate) const MAX_DEPTH: usize = 512;

/// Why a document could not be read.
#[derive(Debug, Clone)]
pub(crate) struct ParseFailure {
    /// The document declares a DTD.
    pub(crate) dtd: bool,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) message: String,
}

/// Parses a document, refusing DTDs (and so entity declarations and external entities) and
/// nesting deeper than [`MAX_DEPTH`].
pub(crate) fn parse_raw(xml: &str) -> Result<Document<'_>, ParseFailure> {
    if let Some(pos) = too_deep(xml, MAX_DEPTH) {
        let tp = text_pos(xml, pos);
        return Err(ParseFailure {
            dtd: false,
            line: tp.0,
            column: tp.1,
            message: format!("elements are nested deeper than {MAX_DEPTH} levels"),
        });
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
    };
    Document::parse_with_options(xml, options).map_err(|e| ParseFailure {
        dtd: matches!(e, roxmltree::Error::DtdDetected),
        line: e.pos().row,
        column: e.pos().col,
        message: e.to_string(),
    })
}

/// [`parse_raw`] with the crate's error type.
pub(crate) fn parse(xml: &str) -> Result<Document<'_>, crate::Error> {
    parse_raw(xml).map_err(|e| crate::Error::Xml {
        line: e.line,
        column: e.column,
        message: e.message,
    })
}

/// 1-based line and column of a byte offset.
fn text_pos(xml: &str, pos: usize) -> (u32, u32) {
    let before = xml.get(..pos).unwrap_or(xml);
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(column).unwrap_or(u32::MAX),
    )
}

/// The offset of the first start tag nested deeper than `max`, by a scan that follows the
/// XML 1.0 productions for comments, CDATA sections, processing instructions, start tags
/// (with quoted attribute values) and end tags. It only has to bound the recursion of the
/// real parser: malformed input is then rejected by the parser.
fn too_deep(xml: &str, max: usize) -> Option<usize> {
    let b = xml.as_bytes();
    let find = |from: usize, pat: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(pat.len())
            .position(|w| w == pat)
            .map(|p| from + p)
    };
    let mut depth: usize = 0;
    let mut i = 0;
    while i < b.len() {
        let Some(off) = b.get(i..).and_then(|r| r.iter().position(|c| *c == b'<')) else {
            break;
        };
        let lt = i + off;
        let rest = b.get(lt..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            i = find(lt + 4, b"-->").map_or(b.len(), |p| p + 3);
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(lt + 9, b"]]>").map_or(b.len(), |p| p + 3);
        } else if rest.starts_with(b"<?") {
            i = find(lt + 2, b"?>").map_or(b.len(), |p| p + 2);
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find(lt + 2, b">").map_or(b.len(), |p| p + 1);
        } else if rest.starts_with(b"<!") {
            i = find(lt + 2, b">").map_or(b.len(), |p| p + 1);
        } else {
            // A start tag: find its end outside quoted attribute values.
            let mut j = lt + 1;
            let mut quote: Option<u8> = None;
            let mut self_closing = false;
            while let Some(&c) = b.get(j) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => {
                        self_closing = j > 0 && b.get(j - 1) == Some(&b'/');
                        break;
                    }
                    None => {}
                }
                j += 1;
            }
            if !self_closing {
                depth += 1;
                if depth > max {
                    return Some(lt);
                }
            }
            i = j + 1;
        }
    }
    None
}

/// 1-based line of a node's start in the source text.
pub(crate) fn line_of(node: Node<'_, '_>) -> u32 {
    node.document().text_pos_at(node.range().start).row
}

/// The qualified name of an element as written in the source (`ds:Signature`), recovered from
/// the start tag because `roxmltree` keeps only the expanded name. If the source does not agree
/// with the parsed local name (which cannot happen for a well-formed document) a prefix bound
/// to the element's namespace is used.
pub(crate) fn element_qname(node: Node<'_, '_>) -> String {
    let local = node.tag_name().name();
    let text = node.document().input_text();
    let start = node.range().start;
    if let Some(rest) = text.get(start..).and_then(|s| s.strip_prefix('<')) {
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        if let Some(q) = rest.get(..end) {
            if q == local
                || q.strip_suffix(local)
                    .is_some_and(|p| p.ends_with(':') && p.len() > 1)
            {
                return q.to_owned();
            }
        }
    }
    match node
        .tag_name()
        .namespace()
        .and_then(|ns| node.lookup_prefix(ns))
    {
        Some(p) if !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_owned(),
    }
}

/// The qualified name of an attribute as written in the source.
pub(crate) fn attribute_qname(node: Node<'_, '_>, attr: &Attribute<'_, '_>) -> String {
    let local = attr.name();
    let Some(ns) = attr.namespace() else {
        return local.to_owned();
    };
    if ns == NS_XML {
        return format!("xml:{local}");
    }
    let text = node.document().input_text();
    if let Some(q) = text.get(attr.range_qname()) {
        if q.strip_suffix(local)
            .is_some_and(|p| p.ends_with(':') && p.len() > 1)
        {
            return q.to_owned();
        }
    }
    match node.lookup_prefix(ns) {
        Some(p) if !p.is_empty() => format!("{p}:{local}"),
        _ => local.to_owned(),
    }
}

/// The prefix of a qualified name (`""` if none).
pub(crate) fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

/// Whether `node` is an element with namespace `ns` and local name `local`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

/// The element children of `node`.
pub(crate) fn child_elements<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(Node::is_element)
}

/// The element children of `node` named `{ns}local`.
pub(crate) fn children_named<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| is(*c, ns, local))
}

/// The first element child of `node` named `{ns}local`.
pub(crate) fn child<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
    local: &'static str,
) -> Option<Node<'a, 'i>> {
    children_named(node, ns, local).next()
}

/// The text content of an element (all descendant text nodes concatenated).
pub(crate) fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

/// The identifiers of elements: attributes `Id`, `ID` and `id` without namespace, and `xml:id`.
/// XML-DSig 1.1 §4.3.3.3 resolves `#name` against attributes of type ID; without a DTD or
/// schema the attribute names used by XML-DSig and XAdES (`Id`) and common practice are taken.
pub(crate) struct IdIndex {
    map: HashMap<String, Vec<roxmltree::NodeId>>,
}

/// The result of looking an identifier up.
pub(crate) enum IdLookup<'a, 'i> {
    /// Exactly one element carries the identifier.
    Unique(Node<'a, 'i>),
    /// No element carries it.
    Missing,
    /// Several elements carry it: a reference to it is ambiguous (a signature-wrapping
    /// pattern) and must not be resolved.
    Duplicate,
}

impl IdIndex {
    pub(crate) fn build(doc: &Document<'_>) -> Self {
        let mut map: HashMap<String, Vec<roxmltree::NodeId>> = HashMap::new();
        for node in doc.descendants().filter(Node::is_element) {
            for attr in node.attributes() {
                let is_id = match attr.namespace() {
                    None => matches!(attr.name(), "Id" | "ID" | "id"),
                    Some(ns) => ns == NS_XML && attr.name() == "id",
                };
                if is_id {
                    let ids = map.entry(attr.value().to_owned()).or_default();
                    if !ids.contains(&node.id()) {
                        ids.push(node.id());
                    }
                }
            }
        }
        Self { map }
    }

    pub(crate) fn get<'a, 'i>(&self, doc: &'a Document<'i>, id: &str) -> IdLookup<'a, 'i> {
        match self.map.get(id).map(Vec::as_slice) {
            Some([one]) => doc
                .get_node(*one)
                .map_or(IdLookup::Missing, IdLookup::Unique),
            Some([]) | None => IdLookup::Missing,
            Some(_) => IdLookup::Duplicate,
        }
    }

    /// Identifiers that occur on more than one element.
    pub(crate) fn duplicates(&self) -> Vec<&str> {
        let mut d: Vec<&str> = self
            .map
            .iter()
            .filter(|(_, v)| v.len() > 1)
            .map(|(k, _)| k.as_str())
            .collect();
        d.sort_unstable();
        d
    }
}
