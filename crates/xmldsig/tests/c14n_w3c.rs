//! Canonicalization against the examples of the W3C specifications: Canonical XML 1.0 §3
//! (3.1 to 3.4 and 3.6) and the motivating example of Exclusive XML Canonicalization 1.0 §2.
//!
//! The inputs are the specifications' documents with their DTDs removed, because this crate
//! refuses DTDs; where a DTD changed the output (a defaulted attribute, ID and NMTOKENS
//! attribute normalization) the expected output is the one for the document without the DTD,
//! which is what any conforming canonicalizer gives for it (cross-checked with
//! `xmllint --c14n`).

use sevres_xmldsig::c14n::{canonicalize, C14nKind, C14nMethod};

fn c14n(xml: &str, kind: C14nKind, comments: bool) -> String {
    let out = canonicalize(xml, &C14nMethod::new(kind, comments), None).expect("canonicalizes");
    String::from_utf8(out).expect("UTF-8")
}

fn subset(xml: &str, method: &C14nMethod, id: &str) -> String {
    String::from_utf8(canonicalize(xml, method, Some(id)).expect("canonicalizes")).expect("UTF-8")
}

const SEC_3_1: &str = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n\
<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->\n";

#[test]
fn c14n10_3_1_pis_comments_outside_document_element() {
    let without = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>";
    let with = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\
<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->";
    for kind in [
        C14nKind::Inclusive10,
        C14nKind::Inclusive11,
        C14nKind::Exclusive10,
    ] {
        assert_eq!(c14n(SEC_3_1, kind, false), without, "{kind:?}");
        assert_eq!(c14n(SEC_3_1, kind, true), with, "{kind:?}");
    }
}

#[test]
fn c14n10_3_2_whitespace_in_document_content() {
    let doc = "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      \
<dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>";
    assert_eq!(c14n(doc, C14nKind::Inclusive10, false), doc);
    assert_eq!(
        c14n(
            &format!(
                "<?xml version=\"1.0\"?>\r\n{}\r\n",
                doc.replace('\n', "\r\n")
            ),
            C14nKind::Inclusive10,
            false
        ),
        doc
    );
}

#[test]
fn c14n10_3_3_start_and_end_tags() {
    let input = r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#;
    // As in the specification, less attr="default" on e9, which came from the DTD.
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    assert_eq!(c14n(input, C14nKind::Inclusive10, false), expected);
    assert_eq!(c14n(input, C14nKind::Inclusive11, false), expected);
}

#[test]
fn c14n10_3_4_character_modifications_and_references() {
    let input =
        "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   \
<compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   \
<compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   \
<norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n   \
<normNames attr='   A   &#x20;&#13;&#xa;&#9;   B   '/>\n</doc>";
    // normNames is NMTOKENS only through the DTD; without it the value is CDATA-normalized.
    let expected = "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   \
<compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   \
<compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   \
<norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n   \
<normNames attr=\"   A    &#xD;&#xA;&#x9;   B   \"></normNames>\n</doc>";
    assert_eq!(c14n(input, C14nKind::Inclusive10, false), expected);
}

#[test]
fn c14n10_3_6_utf8_encoding() {
    assert_eq!(
        c14n("<doc>&#169;</doc>", C14nKind::Inclusive10, false).as_bytes(),
        b"<doc>\xC2\xA9</doc>"
    );
}

// Exclusive XML Canonicalization 1.0 §2 (motivating example), with an Id added to select the
// subtree of n1:elem2.
const EXC_EXAMPLE: &str = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en" Id="E">
      <n3:stuff xmlns:n3="ftp://example.org"/>
   </n1:elem2></n0:local>"#;

#[test]
fn exclusive_versus_inclusive_on_a_subtree() {
    let inclusive = subset(
        EXC_EXAMPLE,
        &C14nMethod::new(C14nKind::Inclusive10, false),
        "E",
    );
    assert_eq!(
        inclusive,
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" Id=\"E\" xml:lang=\"en\">\n      \
<n3:stuff></n3:stuff>\n   </n1:elem2>"
    );
    let exclusive = subset(
        EXC_EXAMPLE,
        &C14nMethod::new(C14nKind::Exclusive10, false),
        "E",
    );
    assert_eq!(
        exclusive,
        "<n1:elem2 xmlns:n1=\"http://example.net\" Id=\"E\" xml:lang=\"en\">\n      \
<n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n   </n1:elem2>"
    );
    // InclusiveNamespaces PrefixList (EXC §3): n0 is rendered as in inclusive c14n.
    let listed = subset(
        EXC_EXAMPLE,
        &C14nMethod::new(C14nKind::Exclusive10, false).with_prefix_list("n0"),
        "E",
    );
    assert!(
        listed
            .starts_with("<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" Id=\"E\""),
        "{listed}"
    );
}

#[test]
fn xml_attributes_inherited_by_the_apex_of_a_subset() {
    let doc = r#"<a xml:lang="de" xml:space="preserve" xml:id="top" xml:base="http://x/"><b Id="B"><c/></b></a>"#;
    // C14N 1.0 §2.4: all xml:* attributes of omitted ancestors.
    assert_eq!(
        subset(doc, &C14nMethod::new(C14nKind::Inclusive10, false), "B"),
        r#"<b Id="B" xml:base="http://x/" xml:id="top" xml:lang="de" xml:space="preserve"><c></c></b>"#
    );
    // C14N 1.1 §2.4: xml:lang and xml:space only (xml:id is not inherited).
    assert_eq!(
        subset(doc, &C14nMethod::new(C14nKind::Inclusive11, false), "B"),
        r#"<b Id="B" xml:lang="de" xml:space="preserve"><c></c></b>"#
    );
    // Exclusive c14n inherits none.
    assert_eq!(
        subset(doc, &C14nMethod::new(C14nKind::Exclusive10, false), "B"),
        r#"<b Id="B"><c></c></b>"#
    );
}

#[test]
fn default_namespace_undeclaration_in_exclusive_mode() {
    let doc = r#"<r xmlns="urn:a"><s xmlns="" Id="S"><t/></s><u Id="U"/></r>"#;
    assert_eq!(
        subset(doc, &C14nMethod::new(C14nKind::Exclusive10, false), "S"),
        r#"<s Id="S"><t></t></s>"#
    );
    assert_eq!(
        subset(doc, &C14nMethod::new(C14nKind::Exclusive10, false), "U"),
        r#"<u xmlns="urn:a" Id="U"></u>"#
    );
    assert_eq!(
        c14n(doc, C14nKind::Exclusive10, false),
        r#"<r xmlns="urn:a"><s xmlns="" Id="S"><t></t></s><u Id="U"></u></r>"#
    );
}

#[test]
fn doctype_is_refused() {
    let err = canonicalize(
        "<!DOCTYPE d [<!ENTITY e \"x\">]><d>&e;</d>",
        &C14nMethod::new(C14nKind::Inclusive10, false),
        None,
    );
    assert!(err.is_err());
}

#[test]
fn method_uris_round_trip() {
    for uri in [
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
        "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments",
        "http://www.w3.org/2006/12/xml-c14n11",
        "http://www.w3.org/2006/12/xml-c14n11#WithComments",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
        "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    ] {
        assert_eq!(C14nMethod::from_uri(uri).map(|m| m.uri()), Some(uri));
    }
    assert!(C14nMethod::from_uri("http://www.w3.org/TR/1999/REC-xpath-19991116").is_none());
}

#[test]
fn deep_nesting_does_not_exhaust_the_stack() {
    let nested = |depth: usize| {
        format!(
            "{}{}",
            "<a xmlns:p=\"urn:p\">".repeat(depth),
            "</a>".repeat(depth)
        )
    };
    let method = C14nMethod::new(C14nKind::Exclusive10, false);
    // Within the limit (DCCs nest about twenty levels): canonicalized iteratively.
    let out = canonicalize(&nested(500), &method, None).expect("500 levels");
    assert_eq!(out.len(), 500 * "<a></a>".len());
    // Far beyond it: refused before the (recursive) parser sees it.
    assert!(canonicalize(&nested(100_000), &method, None).is_err());
    let signed = format!(
        "<r>{}<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>{}</r>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    sevres_xmldsig::fuzz_one_input(signed.as_bytes());
    // Markup-like text inside comments, CDATA, PIs and attribute values does not count.
    let tricky = format!(
        "<r a='x>y' b=\"/>\"><!--<c>--><![CDATA[<d>]]><?p <e>?>{}</r>",
        "<x/>".repeat(2000)
    );
    assert!(canonicalize(&tricky, &method, None).is_ok());
}
