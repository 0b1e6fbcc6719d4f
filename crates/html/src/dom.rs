//! A small arena DOM built by html5ever's tree builder, with the byte offset of the start tag
//! that created each element and a guard on nesting depth and node count.
//!
//! html5ever's tokenizer reports no byte offsets. The driver therefore feeds the decoded text
//! one tag at a time (a chunk starts at every `<` that opens a start or end tag): the tree
//! builder handles a tag as soon as its `>` is read, so every element created while one chunk
//! is fed was opened by that chunk's tag, and gets the offset of its `<` (mapped back to the
//! original bytes). Elements the parser implies (`<tbody>`, `<tr>` for a bare `<td>`, `<body>`)
//! get the offset of the tag that implied them.
//!
//! This is the reference path: `fast.rs` builds the same `Dom` faster for the pages inside
//! its subset and hands every other page to [`parse`].

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, LocalName, ParseOpts, QualName};

/// Handle of a node: its index in the arena.
pub(crate) type Id = usize;

/// What a node is.
#[derive(Debug)]
pub(crate) enum Kind {
    Document,
    Element {
        /// `colspan` and `rowspan`, parsed (HTML's rules for non-negative integers).
        colspan: Option<u64>,
        rowspan: Option<u64>,
    },
    /// Inline up to 24 bytes: most text nodes of a page (the line breaks between tags, a
    /// cell's number or label) then cost no allocation.
    Text(compact_str::CompactString),
    /// Comments, processing instructions, template contents.
    Other,
}

/// One node of the arena.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) name: QualName,
    pub(crate) kind: Kind,
    /// Offset of the start tag in the original bytes (see the module doc).
    pub(crate) byte: u64,
    pub(crate) parent: Option<Id>,
    first: Option<Id>,
    last: Option<Id>,
    prev: Option<Id>,
    next: Option<Id>,
    depth: u32,
    template: Option<Id>,
}

impl Node {
    /// A detached node created at `byte` (for the sink's `push` and the fast parser alike).
    pub(crate) fn new(name: QualName, kind: Kind, byte: u64) -> Node {
        Node {
            name,
            kind,
            byte,
            parent: None,
            first: None,
            last: None,
            prev: None,
            next: None,
            depth: 0,
            template: None,
        }
    }

    /// The last child, if any.
    pub(crate) fn last_child(&self) -> Option<Id> {
        self.last
    }
}

/// Link the detached `child` as the last child of `parent`, as the sink's `link` does;
/// returns the child's depth (the document is depth 0).
pub(crate) fn append_child(nodes: &mut [Node], parent: Id, child: Id) -> u32 {
    let depth = nodes.get(parent).map_or(0, |p| p.depth).saturating_add(1);
    let prev = nodes.get(parent).and_then(|p| p.last);
    if let Some(c) = nodes.get_mut(child) {
        c.parent = Some(parent);
        c.prev = prev;
        c.next = None;
        c.depth = depth;
    }
    if let Some(p) = prev.and_then(|p| nodes.get_mut(p)) {
        p.next = Some(child);
    }
    if let Some(p) = nodes.get_mut(parent) {
        if prev.is_none() {
            p.first = Some(child);
        }
        p.last = Some(child);
    }
    depth
}

/// The parsed page.
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
}

impl Dom {
    /// The children of `id`, in order.
    pub(crate) fn children(&self, id: Id) -> Children<'_> {
        Children {
            dom: self,
            next: self.nodes.get(id).and_then(|n| n.first),
        }
    }
}

impl Dom {
    /// The tree as text, one node a line (name, creation offset for elements, spans, text):
    /// what the differential check compares between the two parsers. Text and comment
    /// offsets are left out: the converter reads only elements' offsets.
    pub(crate) fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let mut stack = vec![(0usize, 0usize)];
        while let Some((id, indent)) = stack.pop() {
            let Some(n) = self.nodes.get(id) else {
                continue;
            };
            let pad = " ".repeat(indent);
            let _ = match &n.kind {
                Kind::Document => writeln!(out, "{pad}#document"),
                Kind::Element { colspan, rowspan } => writeln!(
                    out,
                    "{pad}<{}:{}> @{} span {colspan:?}x{rowspan:?}",
                    n.name.ns, n.name.local, n.byte
                ),
                Kind::Text(t) => writeln!(out, "{pad}{t:?}"),
                Kind::Other => writeln!(out, "{pad}#other"),
            };
            let kids: Vec<Id> = self.children(id).map(|(c, _)| c).collect();
            stack.extend(kids.into_iter().rev().map(|c| (c, indent + 1)));
        }
        out
    }
}

/// Iterator over a node's children.
pub(crate) struct Children<'a> {
    dom: &'a Dom,
    next: Option<Id>,
}

impl<'a> Iterator for Children<'a> {
    type Item = (Id, &'a Node);

    fn next(&mut self) -> Option<Self::Item> {
        let id = self.next?;
        let node = self.dom.nodes.get(id)?;
        self.next = node.next;
        Some((id, node))
    }
}

/// Why parsing stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Elements nested deeper than the limit, at this byte.
    TooDeep(u64),
    /// More nodes than the limit, at this byte.
    TooManyNodes(u64),
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
    dummy: RefCell<QualName>,
    byte: Cell<u64>,
    max_depth: u32,
    max_nodes: usize,
    stop: Cell<Option<Stop>>,
}

pub(crate) fn empty_name() -> QualName {
    QualName::new(None, ns!(), LocalName::from(""))
}

impl Sink {
    fn push(&self, name: QualName, kind: Kind) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        if nodes.len() >= self.max_nodes && self.stop.get().is_none() {
            self.stop.set(Some(Stop::TooManyNodes(self.byte.get())));
        }
        nodes.push(Node::new(name, kind, self.byte.get()));
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        let Some(n) = nodes.get_mut(id) else { return };
        let (parent, prev, next) = (n.parent.take(), n.prev.take(), n.next.take());
        if let Some(p) = prev.and_then(|p| nodes.get_mut(p)) {
            p.next = next;
        } else if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.first = next;
        }
        if let Some(n) = next.and_then(|n| nodes.get_mut(n)) {
            n.prev = prev;
        } else if let Some(p) = parent.and_then(|p| nodes.get_mut(p)) {
            p.last = prev;
        }
    }

    /// Link `child` (detached) as the last child of `parent`, or before `before`.
    fn link(&self, nodes: &mut [Node], parent: Id, child: Id, before: Option<Id>) {
        if parent == child {
            return;
        }
        let depth = nodes.get(parent).map_or(0, |p| p.depth).saturating_add(1);
        if depth > self.max_depth && self.stop.get().is_none() {
            self.stop.set(Some(Stop::TooDeep(self.byte.get())));
        }
        let prev = match before {
            Some(b) => nodes.get(b).and_then(|b| b.prev),
            None => nodes.get(parent).and_then(|p| p.last),
        };
        if let Some(c) = nodes.get_mut(child) {
            c.parent = Some(parent);
            c.prev = prev;
            c.next = before;
            c.depth = depth;
        }
        match prev.and_then(|p| nodes.get_mut(p)) {
            Some(p) => p.next = Some(child),
            None => {
                if let Some(p) = nodes.get_mut(parent) {
                    p.first = Some(child);
                }
            }
        }
        match before.and_then(|b| nodes.get_mut(b)) {
            Some(b) => b.prev = Some(child),
            None => {
                if let Some(p) = nodes.get_mut(parent) {
                    p.last = Some(child);
                }
            }
        }
    }

    /// Insert `child` under `parent` (before `before`), merging text into a neighbouring text
    /// node.
    fn insert(&self, parent: Id, before: Option<Id>, child: NodeOrText<Id>) {
        match child {
            NodeOrText::AppendNode(id) => {
                let mut nodes = self.nodes.borrow_mut();
                Self::detach(&mut nodes, id);
                self.link(&mut nodes, parent, id, before);
            }
            NodeOrText::AppendText(t) => {
                {
                    let mut nodes = self.nodes.borrow_mut();
                    let prev = match before {
                        Some(b) => nodes.get(b).and_then(|b| b.prev),
                        None => nodes.get(parent).and_then(|p| p.last),
                    };
                    if let Some(Node {
                        kind: Kind::Text(s),
                        ..
                    }) = prev.and_then(|p| nodes.get_mut(p))
                    {
                        s.push_str(&t);
                        return;
                    }
                }
                // `CompactString::from(&str)`, not `to_string()`: the tendril's `Display` goes
                // through the formatter (~0.8M instructions per 227 KB page, callgrind).
                let id = self.push(
                    empty_name(),
                    Kind::Text(compact_str::CompactString::from(&*t)),
                );
                let mut nodes = self.nodes.borrow_mut();
                self.link(&mut nodes, parent, id, before);
            }
        }
    }
}

/// HTML's rules for parsing non-negative integers: leading whitespace, an optional `+`, digits
/// (saturating); anything after them ignored.
pub(crate) fn non_negative(v: &str) -> Option<u64> {
    let v = v.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let v = v.strip_prefix('+').unwrap_or(v);
    let digits = v.bytes().take_while(u8::is_ascii_digit);
    let mut n: Option<u64> = None;
    for d in digits {
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(u64::from(d - b'0')),
        );
    }
    n
}

impl TreeSink for Sink {
    type Handle = Id;
    type Output = Self;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a Id) -> Ref<'a, QualName> {
        match Ref::filter_map(self.nodes.borrow(), |n| n.get(*target).map(|n| &n.name)) {
            Ok(r) => r,
            Err(_) => self.dummy.borrow(),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        let (mut colspan, mut rowspan) = (None, None);
        if name.local == local_name!("td") || name.local == local_name!("th") {
            for a in &attrs {
                if a.name.local == local_name!("colspan") {
                    colspan = non_negative(&a.value);
                } else if a.name.local == local_name!("rowspan") {
                    rowspan = non_negative(&a.value);
                }
            }
        }
        let id = self.push(name, Kind::Element { colspan, rowspan });
        if flags.template {
            let t = self.push(empty_name(), Kind::Other);
            if let Some(n) = self.nodes.borrow_mut().get_mut(id) {
                n.template = Some(t);
            }
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.push(empty_name(), Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.push(empty_name(), Kind::Other)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(&self, element: &Id, prev: &Id, child: NodeOrText<Id>) {
        let parent = self.nodes.borrow().get(*element).and_then(|n| n.parent);
        match parent {
            Some(p) => self.insert(p, Some(*element), child),
            None => self.insert(*prev, None, child),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Id) -> Id {
        let t = self.nodes.borrow().get(*target).and_then(|n| n.template);
        match t {
            Some(t) => t,
            None => self.push(empty_name(), Kind::Other),
        }
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, new_node: NodeOrText<Id>) {
        let parent = self.nodes.borrow().get(*sibling).and_then(|n| n.parent);
        if let Some(p) = parent {
            self.insert(p, Some(*sibling), new_node);
        }
    }

    fn add_attrs_if_missing(&self, _target: &Id, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Id) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        let mut nodes = self.nodes.borrow_mut();
        while let Some(c) = nodes.get(*node).and_then(|n| n.first) {
            Self::detach(&mut nodes, c);
            self.link(&mut nodes, *new_parent, c, None);
        }
    }
}

/// Nodes to reserve for the arena of `text` (both parse paths). About one node per 28 bytes
/// in LibreOffice pages (fixtures/html/seed.html: 8,158 nodes, 227 KB): a reserve of one per
/// 16 bytes avoids regrowing the arena, whose copies were ~1.4M instructions per page
/// (callgrind, memcpy under realloc).
pub(crate) fn arena_reserve(text: &str, max_nodes: usize) -> usize {
    (text.len() / 16).min(max_nodes)
}

/// Parse `text` into a DOM. `lt` maps the k-th `<` of `text` to its offset in the original
/// bytes (`None`: decoded offset plus `base`). Stops at the first limit passed.
pub(crate) fn parse(
    text: &str,
    lt: Option<&[u64]>,
    base: u64,
    max_depth: usize,
    max_nodes: usize,
) -> Result<Dom, Stop> {
    let sink = Sink {
        nodes: RefCell::new(Vec::with_capacity(arena_reserve(text, max_nodes))),
        dummy: RefCell::new(empty_name()),
        byte: Cell::new(base),
        max_depth: u32::try_from(max_depth).unwrap_or(u32::MAX),
        max_nodes,
        stop: Cell::new(None),
    };
    sink.push(empty_name(), Kind::Document);
    if let Some(n) = sink.nodes.borrow_mut().first_mut() {
        n.kind = Kind::Document;
    }
    let mut parser = html5ever::parse_document(sink, ParseOpts::default());
    let bytes = text.as_bytes();
    let mut start = 0usize;
    let mut chunk_lt = 0usize;
    let feed = |parser: &mut html5ever::Parser<Sink>, from: usize, to: usize, at_lt: usize| {
        let byte = match lt {
            Some(map) if from < text.len() && bytes.get(from) == Some(&b'<') => {
                map.get(at_lt).copied().unwrap_or(base + from as u64)
            }
            _ => base + from as u64,
        };
        parser.tokenizer.sink.sink.byte.set(byte);
        if let Some(chunk) = text.get(from..to) {
            parser.process(StrTendril::from_slice(chunk));
        }
    };
    for (lt_index, i) in memchr::memchr_iter(b'<', bytes).enumerate() {
        let opens_tag = bytes
            .get(i + 1)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/');
        if opens_tag && i > start {
            feed(&mut parser, start, i, chunk_lt);
            if let Some(stop) = parser.tokenizer.sink.sink.stop.get() {
                return Err(stop);
            }
            start = i;
            chunk_lt = lt_index;
        } else if opens_tag {
            chunk_lt = lt_index;
        }
    }
    feed(&mut parser, start, text.len(), chunk_lt);
    let sink = parser.finish();
    if let Some(stop) = sink.stop.get() {
        return Err(stop);
    }
    Ok(Dom {
        nodes: sink.nodes.into_inner(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse_like_html() {
        assert_eq!(non_negative(" +12px"), Some(12));
        assert_eq!(non_negative("0"), Some(0));
        assert_eq!(non_negative("x"), None);
        assert_eq!(non_negative("99999999999999999999999"), Some(u64::MAX));
    }

    #[test]
    fn offsets_are_start_tags() {
        let text = "<p>a</p><table><td>x</table>";
        let dom = parse(text, None, 0, 100, 1000).unwrap();
        let find = |name: &str| {
            dom.nodes
                .iter()
                .filter(|n| &*n.name.local == name)
                .map(|n| n.byte)
                .collect::<Vec<_>>()
        };
        assert_eq!(find("p"), vec![0]);
        assert_eq!(find("table"), vec![8]);
        // Implied by the `<td>`: its offset.
        assert_eq!(find("tr"), vec![15]);
        assert_eq!(find("td"), vec![15]);
    }
}
