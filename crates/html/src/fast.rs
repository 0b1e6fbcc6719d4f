//! The fast parse path: a tokenizer over the decoded `&str` and a tree builder for the subset
//! of HTML5's tree-construction rules that report pages use, building the same arena
//! [`Dom`] as html5ever's path in [`crate::dom`] — or giving up.
//!
//! # Why it exists
//!
//! html5ever was four fifths of the HTML route (53.6 M of 67 M instructions for
//! `fixtures/html/seed.html`, docs/PERFORMANCE.md, issue 11): its tokenizer goes through tag
//! and attribute names a `char` at a time, interns every attribute, and the chunked feeding
//! that gives us byte offsets costs a tendril per tag. This path scans with `memchr`, matches
//! tag names as bytes, keeps attributes as slices and parses only `colspan`/`rowspan` of
//! `<td>`/`<th>` (all the converter reads), and takes offsets straight from the scan.
//!
//! # Why it is correct: html5ever stays the reference
//!
//! The fast path is an optimisation, not a second HTML parser. It implements the insertion
//! modes a report page goes through (initial to after-after-body, in table / table body /
//! row / cell / caption / column group, raw text and RCDATA) with html5ever's own tag sets
//! (scopes, special elements, implied end tags), and wherever a page needs a rule outside
//! that subset it **bails out** ([`Outcome::Bail`]) and the caller parses the page with
//! html5ever instead. It bails on, among others:
//!
//! * foster parenting (text other than whitespace, or an element, misplaced in a table);
//! * misnested formatting elements: every `<b>`, `<font>`, `<a>`… is flagged on the stack of
//!   open elements, and closing one other than by its own end tag while it is the current
//!   node (or by closing its table cell, which clears the active formatting elements to the
//!   cell's marker) bails. So the list of active formatting elements never holds an element
//!   that is off the stack, and "reconstruct the active formatting elements" — and the
//!   adoption agency beyond its first step — is never needed where the fast path answers;
//! * `<template>`, `<svg>`, `<math>`, `<frameset>`, `<plaintext>`, `<form>`, `<button>`,
//!   `<select>`, `<option>`, ruby, `<applet>`/`<marquee>`/`<object>`, `<image>`, a `<table>`
//!   inside a table, `</p>` with no open `<p>`, `</br>`, head elements after `</head>`;
//! * a `<table>` opened while a `<p>` is open under a doctype other than `<!DOCTYPE html>`
//!   (quirks mode decides whether the `<p>` closes);
//! * tokenizer corners: NUL, bogus comments (`<?`, `<!x`, `</1`), `<!-->`, `--!>`, a tag or
//!   comment cut off by the end of the input, `&` in a `colspan`/`rowspan` value, `<!--` in
//!   a script, an entity or a `<` in text that implies `<head>`/`<body>` (html5ever may
//!   resolve it, and so create the element, in the next feeding chunk).
//!
//! Offsets follow [`crate::dom`]'s rule exactly: an element gets the offset of the chunk its
//! creating token ended in, a chunk starting at every `<` followed by a letter or `/`.
//!
//! `tests/differential.rs` runs both paths over every committed HTML input and many built
//! pages and asserts the same DOM (tree, names, element offsets, spans, text) and the same
//! document, or a bail-out; `fixtures/html/seed.html` must be answered here. The limits
//! (`max_depth`, `max_nodes`) are checked at the same points as the sink checks them (a node
//! created, a node linked), so the first limit passed, and its offset, are the same.
//!
//! Not for: pages outside the subset (they go to html5ever), serialising, scripting.

use html5ever::{local_name, ns, LocalName, QualName};
use memchr::{memchr, memchr2, memmem};

use crate::dom::{self, empty_name, Dom, Id, Kind, Node, Stop};

/// What the fast path made of a page.
pub(crate) enum Outcome {
    /// The DOM html5ever's path would build.
    Dom(Dom),
    /// A limit passed, as html5ever's path would report it.
    Stop(Stop),
    /// Outside the subset: parse with html5ever (the reason, for tests and debugging).
    Bail(&'static str),
}

enum Halt {
    Bail(&'static str),
    Stop(Stop),
}

type R<T = ()> = Result<T, Halt>;

fn bail<T>(why: &'static str) -> R<T> {
    Err(Halt::Bail(why))
}

macro_rules! tags {
    ($($v:ident $b:literal $s:tt),* $(,)?) => {
        /// The element names the tree builder tells apart (others are [`Tag::Other`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Tag { $($v,)* Other }

        /// `name` in lower case.
        fn tag_of(name: &[u8]) -> Tag {
            match name { $($b => Tag::$v,)* _ => Tag::Other }
        }

        impl Tag {
            fn local(self) -> Option<LocalName> {
                match self { $(Tag::$v => Some(local_name!($s)),)* Tag::Other => None }
            }
        }
    };
}

tags! {
    A b"a" "a", Abbr b"abbr" "abbr", Address b"address" "address", Applet b"applet" "applet",
    Area b"area" "area", Article b"article" "article", Aside b"aside" "aside", B b"b" "b",
    Base b"base" "base", Basefont b"basefont" "basefont", Bgsound b"bgsound" "bgsound",
    Big b"big" "big", Blockquote b"blockquote" "blockquote", Body b"body" "body", Br b"br" "br",
    Button b"button" "button", Caption b"caption" "caption", Center b"center" "center",
    Code b"code" "code", Col b"col" "col", Colgroup b"colgroup" "colgroup", Dd b"dd" "dd",
    Details b"details" "details", Dialog b"dialog" "dialog", Dir b"dir" "dir", Div b"div" "div",
    Dl b"dl" "dl", Dt b"dt" "dt", Em b"em" "em", Embed b"embed" "embed",
    Fieldset b"fieldset" "fieldset", Figcaption b"figcaption" "figcaption",
    Figure b"figure" "figure", Font b"font" "font", Footer b"footer" "footer", Form b"form" "form",
    Frame b"frame" "frame", Frameset b"frameset" "frameset", H1 b"h1" "h1", H2 b"h2" "h2",
    H3 b"h3" "h3", H4 b"h4" "h4", H5 b"h5" "h5", H6 b"h6" "h6", Head b"head" "head",
    Header b"header" "header", Hgroup b"hgroup" "hgroup", Hr b"hr" "hr", Html b"html" "html",
    I b"i" "i", Iframe b"iframe" "iframe", Image b"image" "image", Img b"img" "img",
    Input b"input" "input", Isindex b"isindex" "isindex", Keygen b"keygen" "keygen",
    Label b"label" "label", Li b"li" "li", Link b"link" "link", Listing b"listing" "listing",
    Main b"main" "main", Marquee b"marquee" "marquee", Math b"math" "math", Menu b"menu" "menu",
    Meta b"meta" "meta", Nav b"nav" "nav", Nobr b"nobr" "nobr", Noembed b"noembed" "noembed",
    Noframes b"noframes" "noframes", Noscript b"noscript" "noscript", Object b"object" "object",
    Ol b"ol" "ol", Optgroup b"optgroup" "optgroup", Option b"option" "option", P b"p" "p",
    Param b"param" "param", Plaintext b"plaintext" "plaintext", Pre b"pre" "pre", Rb b"rb" "rb",
    Rp b"rp" "rp", Rt b"rt" "rt", Rtc b"rtc" "rtc", S b"s" "s", Script b"script" "script",
    Search b"search" "search", Section b"section" "section", Select b"select" "select",
    Small b"small" "small", Source b"source" "source", Span b"span" "span",
    Strike b"strike" "strike", Strong b"strong" "strong", Style b"style" "style", Sub b"sub" "sub",
    Summary b"summary" "summary", Sup b"sup" "sup", Svg b"svg" "svg", Table b"table" "table",
    Tbody b"tbody" "tbody", Td b"td" "td", Template b"template" "template",
    Textarea b"textarea" "textarea", Tfoot b"tfoot" "tfoot", Th b"th" "th", Thead b"thead" "thead",
    Title b"title" "title", Tr b"tr" "tr", Track b"track" "track", Tt b"tt" "tt", U b"u" "u",
    Ul b"ul" "ul", Wbr b"wbr" "wbr", Xmp b"xmp" "xmp",
}

use Tag as T;

/// html5ever's `special_tag` set (tree_builder/tag_sets.rs, 0.35: no `search`, with
/// `isindex`).
fn special(t: Tag) -> bool {
    matches!(
        t,
        T::Address
            | T::Applet
            | T::Area
            | T::Article
            | T::Aside
            | T::Base
            | T::Basefont
            | T::Bgsound
            | T::Blockquote
            | T::Body
            | T::Br
            | T::Button
            | T::Caption
            | T::Center
            | T::Col
            | T::Colgroup
            | T::Dd
            | T::Details
            | T::Dir
            | T::Div
            | T::Dl
            | T::Dt
            | T::Embed
            | T::Fieldset
            | T::Figcaption
            | T::Figure
            | T::Footer
            | T::Form
            | T::Frame
            | T::Frameset
            | T::H1
            | T::H2
            | T::H3
            | T::H4
            | T::H5
            | T::H6
            | T::Head
            | T::Header
            | T::Hgroup
            | T::Hr
            | T::Html
            | T::Iframe
            | T::Img
            | T::Input
            | T::Isindex
            | T::Li
            | T::Link
            | T::Listing
            | T::Main
            | T::Marquee
            | T::Menu
            | T::Meta
            | T::Nav
            | T::Noembed
            | T::Noframes
            | T::Noscript
            | T::Object
            | T::Ol
            | T::P
            | T::Param
            | T::Plaintext
            | T::Pre
            | T::Script
            | T::Section
            | T::Select
            | T::Source
            | T::Style
            | T::Summary
            | T::Table
            | T::Tbody
            | T::Td
            | T::Template
            | T::Textarea
            | T::Tfoot
            | T::Th
            | T::Thead
            | T::Title
            | T::Tr
            | T::Track
            | T::Ul
            | T::Wbr
            | T::Xmp
    )
}

fn default_scope(t: Tag) -> bool {
    matches!(
        t,
        T::Applet
            | T::Caption
            | T::Html
            | T::Table
            | T::Td
            | T::Th
            | T::Marquee
            | T::Object
            | T::Template
    )
}

fn list_item_scope(t: Tag) -> bool {
    default_scope(t) || matches!(t, T::Ol | T::Ul)
}

fn button_scope(t: Tag) -> bool {
    default_scope(t) || t == T::Button
}

fn table_scope(t: Tag) -> bool {
    matches!(t, T::Html | T::Table | T::Template)
}

fn implied_end(t: Tag) -> bool {
    matches!(
        t,
        T::Dd | T::Dt | T::Li | T::Option | T::Optgroup | T::P | T::Rb | T::Rp | T::Rt | T::Rtc
    )
}

fn heading(t: Tag) -> bool {
    matches!(t, T::H1 | T::H2 | T::H3 | T::H4 | T::H5 | T::H6)
}

fn formatting(t: Tag) -> bool {
    matches!(
        t,
        T::A | T::B
            | T::Big
            | T::Code
            | T::Em
            | T::Font
            | T::I
            | T::Nobr
            | T::S
            | T::Small
            | T::Strike
            | T::Strong
            | T::Tt
            | T::U
    )
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// A byte table: `true` for HTML white space and each byte of `extra`.
const fn ws_and(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let ws = b"\t\n\x0C\r ";
    let mut k = 0;
    while k < ws.len() {
        t[ws[k] as usize] = true;
        k += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        t[extra[k] as usize] = true;
        k += 1;
    }
    t
}

/// What ends a tag name, and `<`, which does not but must be noted (see [`Chunks::tag_at`]).
static TAG_NAME_STOP: [bool; 256] = ws_and(b"/><");
/// What ends an attribute name, and `<`.
static ATTR_NAME_STOP: [bool; 256] = ws_and(b"/>=<");
/// What ends an unquoted attribute value, and `<`.
static UNQUOTED_STOP: [bool; 256] = ws_and(b"><");

/// The first byte at or after `i` that `stop` holds other than `<` (or `b.len()`); a `<`
/// passed sets `inner_lt`. One table lookup per byte: the tag and attribute names of a
/// LibreOffice page (`style`, `face`, `lang`, ... on most tags) are most of its markup.
#[inline]
fn scan_to(b: &[u8], mut i: usize, stop: &[bool; 256], inner_lt: &mut bool) -> usize {
    loop {
        let Some(k) = b
            .get(i..)
            .and_then(|rest| rest.iter().position(|&c| stop[usize::from(c)]))
        else {
            return b.len();
        };
        i += k;
        if b.get(i) != Some(&b'<') {
            return i;
        }
        *inner_lt = true;
        i += 1;
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Initial,
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    InTable,
    InTableBody,
    InRow,
    InCell,
    InCaption,
    InColumnGroup,
    AfterBody,
    AfterAfterBody,
}

/// Whether the document is in quirks mode, as far as the fast path knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quirks {
    Yes,
    No,
    Unknown,
}

/// A start or end tag as the tree builder sees it.
struct TagTok {
    tag: Tag,
    /// The name for [`Tag::Other`] (lower case).
    other: Option<LocalName>,
    colspan: Option<u64>,
    rowspan: Option<u64>,
}

impl TagTok {
    fn local(&self) -> LocalName {
        match (self.tag.local(), &self.other) {
            (Some(l), _) => l,
            (None, Some(o)) => o.clone(),
            (None, None) => local_name!(""),
        }
    }
}

/// What the tokenizer reads after a start tag.
enum After {
    Markup,
    /// RAWTEXT (`rcdata` false) or RCDATA content up to `</name`; `script`: script data.
    Raw {
        name: &'static [u8],
        rcdata: bool,
        script: bool,
    },
}

struct Open {
    id: Id,
    tag: Tag,
    /// In the list of active formatting elements.
    fmt: bool,
}

struct Builder {
    nodes: Vec<Node>,
    stack: Vec<Open>,
    mode: Mode,
    head: Option<Id>,
    quirks: Quirks,
    ignore_lf: bool,
    /// Whitespace met in a table, inserted when the next other token comes (html5ever's "in
    /// table text" mode: the text node gets that token's offset).
    pending: String,
    /// Offset given to the nodes created now.
    byte: u64,
    /// The text being inserted starts with `&` or `<`, which html5ever may resolve only in
    /// the next feeding chunk: a text node it creates may get a later offset there, so a
    /// limit passed by creating it bails out rather than report a different offset.
    lagging: bool,
    max_depth: u32,
    max_nodes: usize,
}

impl Builder {
    fn push_node(&mut self, name: QualName, kind: Kind) -> R<Id> {
        if self.nodes.len() >= self.max_nodes {
            return Err(Halt::Stop(Stop::TooManyNodes(self.byte)));
        }
        self.nodes.push(Node::new(name, kind, self.byte));
        Ok(self.nodes.len() - 1)
    }

    fn link(&mut self, parent: Id, child: Id) -> R {
        if dom::append_child(&mut self.nodes, parent, child) > self.max_depth {
            return Err(Halt::Stop(Stop::TooDeep(self.byte)));
        }
        Ok(())
    }

    fn current(&self) -> R<&Open> {
        match self.stack.last() {
            Some(o) => Ok(o),
            None => bail("no open element"),
        }
    }

    fn current_tag(&self) -> Tag {
        self.stack.last().map_or(T::Html, |o| o.tag)
    }

    fn insert(&mut self, t: &TagTok, tag: Tag) -> R<Id> {
        let local = if tag == t.tag {
            t.local()
        } else {
            tag.local().unwrap_or(local_name!(""))
        };
        let kind = if matches!(tag, T::Td | T::Th) && tag == t.tag {
            Kind::Element {
                colspan: t.colspan,
                rowspan: t.rowspan,
            }
        } else {
            Kind::Element {
                colspan: None,
                rowspan: None,
            }
        };
        let id = self.push_node(QualName::new(None, ns!(html), local), kind)?;
        let parent = if tag == T::Html && self.stack.is_empty() {
            0
        } else {
            self.current()?.id
        };
        self.link(parent, id)?;
        self.stack.push(Open {
            id,
            tag,
            fmt: formatting(tag),
        });
        Ok(id)
    }

    /// Insert an element implied by `t` (no attributes), e.g. `<tbody>` for a `<tr>`.
    fn insert_implied(&mut self, tag: Tag) -> R<Id> {
        let plain = TagTok {
            tag,
            other: None,
            colspan: None,
            rowspan: None,
        };
        self.insert(&plain, tag)
    }

    fn insert_void(&mut self, t: &TagTok) -> R {
        self.insert(t, t.tag)?;
        self.stack.pop();
        Ok(())
    }

    fn insert_text(&mut self, s: &str) -> R {
        if s.is_empty() {
            return Ok(());
        }
        let parent = self.current()?.id;
        let last = self.nodes.get(parent).and_then(Node::last_child);
        if let Some(Node {
            kind: Kind::Text(t),
            ..
        }) = last.and_then(|l| self.nodes.get_mut(l))
        {
            t.push_str(s);
            return Ok(());
        }
        let made = self
            .push_node(
                empty_name(),
                Kind::Text(compact_str::CompactString::from(s)),
            )
            .and_then(|id| self.link(parent, id));
        match made {
            Err(Halt::Stop(_)) if self.lagging => bail("limit at text that may lag a chunk"),
            r => r,
        }
    }

    /// Pop the current node; closing a formatting element this way would leave it in the
    /// list of active formatting elements, so that bails.
    fn pop(&mut self) -> R<Open> {
        match self.stack.pop() {
            Some(o) if o.fmt => bail("formatting element closed out of order"),
            Some(o) => Ok(o),
            None => bail("pop of an empty stack"),
        }
    }

    fn pop_until(&mut self, f: impl Fn(Tag) -> bool) -> R {
        loop {
            if f(self.pop()?.tag) {
                return Ok(());
            }
        }
    }

    /// Pop up to and including the nearest `f` element, formatting elements too: what
    /// closing a cell or caption does, which clears the active formatting elements to the
    /// marker that element set.
    fn pop_through_marker(&mut self, f: impl Fn(Tag) -> bool) -> R {
        loop {
            match self.stack.pop() {
                Some(o) if f(o.tag) => return Ok(()),
                Some(_) => {}
                None => return bail("no marker element"),
            }
        }
    }

    fn in_scope(&self, target: impl Fn(Tag) -> bool, stop: impl Fn(Tag) -> bool) -> bool {
        for o in self.stack.iter().rev() {
            if target(o.tag) {
                return true;
            }
            if stop(o.tag) {
                return false;
            }
        }
        false
    }

    fn generate_implied_end(&mut self, except: Option<Tag>) -> R {
        while let Some(o) = self.stack.last() {
            if !implied_end(o.tag) || Some(o.tag) == except {
                return Ok(());
            }
            self.pop()?;
        }
        Ok(())
    }

    fn close_p(&mut self) -> R {
        self.generate_implied_end(Some(T::P))?;
        self.pop_until(|t| t == T::P)
    }

    fn close_p_in_button_scope(&mut self) -> R {
        if self.in_scope(|t| t == T::P, button_scope) {
            self.close_p()?;
        }
        Ok(())
    }

    fn clear_to(&mut self, f: impl Fn(Tag) -> bool) -> R {
        while !f(self.current_tag()) {
            self.pop()?;
        }
        Ok(())
    }

    fn close_cell(&mut self) -> R {
        self.generate_implied_end(None)?;
        self.pop_through_marker(|t| matches!(t, T::Td | T::Th))?;
        self.mode = Mode::InRow;
        Ok(())
    }

    fn close_caption(&mut self) -> R {
        self.generate_implied_end(None)?;
        self.pop_through_marker(|t| t == T::Caption)?;
        self.mode = Mode::InTable;
        Ok(())
    }

    /// A formatting element named `tag` in the list after the last marker (td, th,
    /// caption: the only marker-setting elements the fast path lets in).
    fn formatting_after_marker(&self, tag: Tag) -> bool {
        for o in self.stack.iter().rev() {
            if matches!(o.tag, T::Td | T::Th | T::Caption) {
                return false;
            }
            if o.fmt && o.tag == tag {
                return true;
            }
        }
        false
    }

    fn reset_mode(&mut self) -> R {
        for (i, o) in self.stack.iter().enumerate().rev() {
            let last = i == 0;
            let mode = match o.tag {
                T::Select | T::Template | T::Frameset => return bail("reset into select/template"),
                T::Td | T::Th if !last => Mode::InCell,
                T::Tr => Mode::InRow,
                T::Tbody | T::Thead | T::Tfoot => Mode::InTableBody,
                T::Caption => Mode::InCaption,
                T::Colgroup => Mode::InColumnGroup,
                T::Table => Mode::InTable,
                T::Head if !last => Mode::InHead,
                T::Body => Mode::InBody,
                T::Html if self.head.is_none() => Mode::BeforeHead,
                T::Html => Mode::AfterHead,
                _ if last => Mode::InBody,
                _ => continue,
            };
            self.mode = mode;
            return Ok(());
        }
        self.mode = Mode::InBody;
        Ok(())
    }

    fn create_html(&mut self) -> R {
        self.insert_implied(T::Html)?;
        self.mode = Mode::BeforeHead;
        Ok(())
    }

    fn create_head(&mut self, t: &TagTok, explicit: bool) -> R {
        let id = if explicit {
            self.insert(t, T::Head)?
        } else {
            self.insert_implied(T::Head)?
        };
        self.head = Some(id);
        self.mode = Mode::InHead;
        Ok(())
    }

    fn create_body(&mut self, t: &TagTok, explicit: bool) -> R {
        if explicit {
            self.insert(t, T::Body)?;
        } else {
            self.insert_implied(T::Body)?;
        }
        self.mode = Mode::InBody;
        Ok(())
    }

    // ---- start tags ----

    /// Insert the whitespace held back in a table (before any token other than text).
    fn flush(&mut self) -> R {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let r = self.insert_text(&pending);
        self.pending = pending;
        self.pending.clear();
        r
    }

    fn start_tag(&mut self, t: &TagTok) -> R<After> {
        self.flush()?;
        self.ignore_lf = false;
        loop {
            match self.mode {
                Mode::Initial => {
                    self.quirks = Quirks::Yes;
                    self.mode = Mode::BeforeHtml;
                }
                Mode::BeforeHtml => {
                    if t.tag == T::Html {
                        self.insert(t, T::Html)?;
                        self.mode = Mode::BeforeHead;
                        return Ok(After::Markup);
                    }
                    self.create_html()?;
                }
                Mode::BeforeHead => match t.tag {
                    T::Html => return Ok(After::Markup),
                    T::Head => {
                        self.create_head(t, true)?;
                        return Ok(After::Markup);
                    }
                    _ => self.create_head(t, false)?,
                },
                Mode::InHead => match t.tag {
                    T::Html | T::Head => return Ok(After::Markup),
                    T::Base
                    | T::Basefont
                    | T::Bgsound
                    | T::Link
                    | T::Meta
                    | T::Title
                    | T::Noscript
                    | T::Noframes
                    | T::Style
                    | T::Script
                    | T::Template => return self.head_element(t),
                    _ => {
                        self.pop()?;
                        self.mode = Mode::AfterHead;
                    }
                },
                Mode::AfterHead => match t.tag {
                    T::Html | T::Head => return Ok(After::Markup),
                    T::Body => {
                        self.create_body(t, true)?;
                        return Ok(After::Markup);
                    }
                    T::Frameset => return bail("frameset"),
                    T::Base
                    | T::Basefont
                    | T::Bgsound
                    | T::Link
                    | T::Meta
                    | T::Noframes
                    | T::Script
                    | T::Style
                    | T::Template
                    | T::Title => return bail("head element after </head>"),
                    _ => self.create_body(t, false)?,
                },
                Mode::InBody => return self.in_body_start(t),
                Mode::InTable => {
                    if let Some(a) = self.in_table_start(t)? {
                        return Ok(a);
                    }
                }
                Mode::InTableBody => match t.tag {
                    T::Tr => {
                        self.clear_to(|t| matches!(t, T::Tbody | T::Tfoot | T::Thead | T::Html))?;
                        self.insert(t, T::Tr)?;
                        self.mode = Mode::InRow;
                        return Ok(After::Markup);
                    }
                    T::Th | T::Td => {
                        self.clear_to(|t| matches!(t, T::Tbody | T::Tfoot | T::Thead | T::Html))?;
                        self.insert_implied(T::Tr)?;
                        self.mode = Mode::InRow;
                    }
                    T::Caption | T::Col | T::Colgroup | T::Tbody | T::Tfoot | T::Thead => {
                        if !self
                            .in_scope(|t| matches!(t, T::Tbody | T::Thead | T::Tfoot), table_scope)
                        {
                            return Ok(After::Markup);
                        }
                        self.clear_to(|t| matches!(t, T::Tbody | T::Tfoot | T::Thead | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTable;
                    }
                    _ => {
                        if let Some(a) = self.in_table_start(t)? {
                            return Ok(a);
                        }
                    }
                },
                Mode::InRow => match t.tag {
                    T::Th | T::Td => {
                        self.clear_to(|t| matches!(t, T::Tr | T::Html))?;
                        self.insert(t, t.tag)?;
                        self.mode = Mode::InCell;
                        return Ok(After::Markup);
                    }
                    T::Caption | T::Col | T::Colgroup | T::Tbody | T::Tfoot | T::Thead | T::Tr => {
                        if !self.in_scope(|t| t == T::Tr, table_scope) {
                            return Ok(After::Markup);
                        }
                        self.clear_to(|t| matches!(t, T::Tr | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                    }
                    _ => {
                        if let Some(a) = self.in_table_start(t)? {
                            return Ok(a);
                        }
                    }
                },
                Mode::InCell => match t.tag {
                    T::Caption
                    | T::Col
                    | T::Colgroup
                    | T::Tbody
                    | T::Td
                    | T::Tfoot
                    | T::Th
                    | T::Thead
                    | T::Tr => {
                        if !self.in_scope(|t| matches!(t, T::Td | T::Th), table_scope) {
                            return bail("cell start with no cell in scope");
                        }
                        self.close_cell()?;
                    }
                    _ => return self.in_body_start(t),
                },
                Mode::InCaption => match t.tag {
                    T::Caption
                    | T::Col
                    | T::Colgroup
                    | T::Tbody
                    | T::Td
                    | T::Tfoot
                    | T::Th
                    | T::Thead
                    | T::Tr => {
                        if !self.in_scope(|t| t == T::Caption, table_scope) {
                            return Ok(After::Markup);
                        }
                        self.close_caption()?;
                    }
                    _ => return self.in_body_start(t),
                },
                Mode::InColumnGroup => match t.tag {
                    T::Html => return Ok(After::Markup),
                    T::Col => {
                        self.insert_void(t)?;
                        return Ok(After::Markup);
                    }
                    T::Template => return bail("template"),
                    _ => self.leave_colgroup()?,
                },
                Mode::AfterBody | Mode::AfterAfterBody => {
                    if t.tag == T::Html {
                        return Ok(After::Markup);
                    }
                    self.mode = Mode::InBody;
                }
            }
        }
    }

    fn leave_colgroup(&mut self) -> R {
        if self.current_tag() != T::Colgroup {
            return bail("column group mode off a colgroup");
        }
        self.pop()?;
        self.mode = Mode::InTable;
        Ok(())
    }

    /// The "in head" rules for an element that belongs in the head (also used in body and
    /// table modes): inserted at the current node.
    fn head_element(&mut self, t: &TagTok) -> R<After> {
        // The raw-text elements: their name (to find the end tag), RCDATA (entities decoded)
        // or plain raw text, and script data.
        let (name, rcdata, script): (&'static [u8], bool, bool) = match t.tag {
            T::Base | T::Basefont | T::Bgsound | T::Link | T::Meta => {
                self.insert_void(t)?;
                return Ok(After::Markup);
            }
            T::Title => (b"title", true, false),
            // html5ever's default options enable scripting: `<noscript>` is raw text.
            T::Noscript => (b"noscript", false, false),
            T::Noframes => (b"noframes", false, false),
            T::Style => (b"style", false, false),
            T::Script => (b"script", false, true),
            _ => return bail("template"),
        };
        self.insert(t, t.tag)?;
        Ok(After::Raw {
            name,
            rcdata,
            script,
        })
    }

    fn in_body_start(&mut self, t: &TagTok) -> R<After> {
        let raw = |name: &'static [u8]| After::Raw {
            name,
            rcdata: false,
            script: false,
        };
        match t.tag {
            T::Html | T::Body => {}
            T::Base
            | T::Basefont
            | T::Bgsound
            | T::Link
            | T::Meta
            | T::Noframes
            | T::Script
            | T::Style
            | T::Template
            | T::Title => return self.head_element(t),
            T::Address
            | T::Article
            | T::Aside
            | T::Blockquote
            | T::Center
            | T::Details
            | T::Dialog
            | T::Dir
            | T::Div
            | T::Dl
            | T::Fieldset
            | T::Figcaption
            | T::Figure
            | T::Footer
            | T::Header
            | T::Hgroup
            | T::Main
            | T::Menu
            | T::Nav
            | T::Ol
            | T::P
            | T::Search
            | T::Section
            | T::Summary
            | T::Ul => {
                self.close_p_in_button_scope()?;
                self.insert(t, t.tag)?;
            }
            T::H1 | T::H2 | T::H3 | T::H4 | T::H5 | T::H6 => {
                self.close_p_in_button_scope()?;
                if heading(self.current_tag()) {
                    self.pop()?;
                }
                self.insert(t, t.tag)?;
            }
            T::Pre | T::Listing => {
                self.close_p_in_button_scope()?;
                self.insert(t, t.tag)?;
                self.ignore_lf = true;
            }
            T::Li | T::Dd | T::Dt => {
                let list = t.tag == T::Li;
                let mut close = None;
                for o in self.stack.iter().rev() {
                    if (list && o.tag == T::Li) || (!list && matches!(o.tag, T::Dd | T::Dt)) {
                        close = Some(o.tag);
                        break;
                    }
                    if special(o.tag) && !matches!(o.tag, T::Address | T::Div | T::P) {
                        break;
                    }
                }
                if let Some(c) = close {
                    self.generate_implied_end(Some(c))?;
                    self.pop_until(|t| t == c)?;
                }
                self.close_p_in_button_scope()?;
                self.insert(t, t.tag)?;
            }
            T::A => {
                if self.formatting_after_marker(T::A) {
                    return bail("<a> inside <a>");
                }
                self.insert(t, t.tag)?;
            }
            T::B
            | T::Big
            | T::Code
            | T::Em
            | T::Font
            | T::I
            | T::S
            | T::Small
            | T::Strike
            | T::Strong
            | T::Tt
            | T::U => {
                self.insert(t, t.tag)?;
            }
            T::Nobr => {
                if self.in_scope(|t| t == T::Nobr, default_scope) {
                    return bail("<nobr> inside <nobr>");
                }
                self.insert(t, t.tag)?;
            }
            T::Table => {
                if self.in_scope(|t| t == T::P, button_scope) {
                    match self.quirks {
                        Quirks::Yes => {}
                        Quirks::No => self.close_p()?,
                        Quirks::Unknown => return bail("table in p, quirks mode unknown"),
                    }
                }
                self.insert(t, t.tag)?;
                self.mode = Mode::InTable;
            }
            T::Area
            | T::Br
            | T::Embed
            | T::Img
            | T::Keygen
            | T::Wbr
            | T::Input
            | T::Param
            | T::Source
            | T::Track => self.insert_void(t)?,
            T::Hr => {
                self.close_p_in_button_scope()?;
                self.insert_void(t)?;
            }
            T::Textarea => {
                self.insert(t, t.tag)?;
                self.ignore_lf = true;
                return Ok(After::Raw {
                    name: b"textarea",
                    rcdata: true,
                    script: false,
                });
            }
            T::Xmp => {
                self.close_p_in_button_scope()?;
                self.insert(t, t.tag)?;
                return Ok(raw(b"xmp"));
            }
            T::Iframe => {
                self.insert(t, t.tag)?;
                return Ok(raw(b"iframe"));
            }
            T::Noembed => {
                self.insert(t, t.tag)?;
                return Ok(raw(b"noembed"));
            }
            T::Noscript => {
                self.insert(t, t.tag)?;
                return Ok(raw(b"noscript"));
            }
            T::Caption
            | T::Col
            | T::Colgroup
            | T::Frame
            | T::Head
            | T::Tbody
            | T::Td
            | T::Tfoot
            | T::Th
            | T::Thead
            | T::Tr => {}
            T::Frameset
            | T::Form
            | T::Plaintext
            | T::Button
            | T::Applet
            | T::Marquee
            | T::Object
            | T::Image
            | T::Isindex
            | T::Select
            | T::Optgroup
            | T::Option
            | T::Rb
            | T::Rp
            | T::Rt
            | T::Rtc
            | T::Math
            | T::Svg => return bail("start tag outside the subset"),
            T::Abbr | T::Label | T::Span | T::Sub | T::Sup | T::Other => {
                self.insert(t, t.tag)?;
            }
        }
        Ok(After::Markup)
    }

    /// The "in table" rules; `None`: reprocess in the mode set.
    fn in_table_start(&mut self, t: &TagTok) -> R<Option<After>> {
        let table_ctx = |t: Tag| matches!(t, T::Table | T::Template | T::Html);
        match t.tag {
            T::Caption => {
                self.clear_to(table_ctx)?;
                self.insert(t, t.tag)?;
                self.mode = Mode::InCaption;
                Ok(Some(After::Markup))
            }
            T::Colgroup => {
                self.clear_to(table_ctx)?;
                self.insert(t, t.tag)?;
                self.mode = Mode::InColumnGroup;
                Ok(Some(After::Markup))
            }
            T::Col => {
                self.clear_to(table_ctx)?;
                self.insert_implied(T::Colgroup)?;
                self.mode = Mode::InColumnGroup;
                Ok(None)
            }
            T::Tbody | T::Tfoot | T::Thead => {
                self.clear_to(table_ctx)?;
                self.insert(t, t.tag)?;
                self.mode = Mode::InTableBody;
                Ok(Some(After::Markup))
            }
            T::Td | T::Th | T::Tr => {
                self.clear_to(table_ctx)?;
                self.insert_implied(T::Tbody)?;
                self.mode = Mode::InTableBody;
                Ok(None)
            }
            T::Style | T::Script => self.head_element(t).map(Some),
            _ => bail("start tag foster-parented out of a table"),
        }
    }

    // ---- end tags ----

    fn end_tag(&mut self, t: &TagTok) -> R {
        self.flush()?;
        self.ignore_lf = false;
        let tag = t.tag;
        loop {
            match self.mode {
                Mode::Initial => {
                    self.quirks = Quirks::Yes;
                    self.mode = Mode::BeforeHtml;
                }
                Mode::BeforeHtml => match tag {
                    T::Head | T::Body | T::Html | T::Br => self.create_html()?,
                    _ => return Ok(()),
                },
                Mode::BeforeHead => match tag {
                    T::Head | T::Body | T::Html | T::Br => self.create_head(t, false)?,
                    _ => return Ok(()),
                },
                Mode::InHead => match tag {
                    T::Head => {
                        self.pop()?;
                        self.mode = Mode::AfterHead;
                        return Ok(());
                    }
                    T::Body | T::Html | T::Br => {
                        self.pop()?;
                        self.mode = Mode::AfterHead;
                    }
                    T::Template => return bail("template"),
                    _ => return Ok(()),
                },
                Mode::AfterHead => match tag {
                    T::Body | T::Html | T::Br => self.create_body(t, false)?,
                    T::Template => return bail("template"),
                    _ => return Ok(()),
                },
                Mode::InBody => return self.in_body_end(t),
                Mode::InTable => match tag {
                    T::Table => return self.close_table(),
                    T::Body
                    | T::Caption
                    | T::Col
                    | T::Colgroup
                    | T::Html
                    | T::Tbody
                    | T::Td
                    | T::Tfoot
                    | T::Th
                    | T::Thead
                    | T::Tr => return Ok(()),
                    _ => return bail("end tag foster-parented out of a table"),
                },
                Mode::InTableBody => match tag {
                    T::Tbody | T::Tfoot | T::Thead => {
                        if !self.in_scope(|x| x == tag, table_scope) {
                            return Ok(());
                        }
                        self.clear_to(|t| matches!(t, T::Tbody | T::Tfoot | T::Thead | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTable;
                        return Ok(());
                    }
                    T::Table => {
                        if !self
                            .in_scope(|t| matches!(t, T::Tbody | T::Thead | T::Tfoot), table_scope)
                        {
                            return Ok(());
                        }
                        self.clear_to(|t| matches!(t, T::Tbody | T::Tfoot | T::Thead | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTable;
                    }
                    T::Body
                    | T::Caption
                    | T::Col
                    | T::Colgroup
                    | T::Html
                    | T::Td
                    | T::Th
                    | T::Tr => return Ok(()),
                    _ => return bail("end tag foster-parented out of a table"),
                },
                Mode::InRow => match tag {
                    T::Tr => {
                        if !self.in_scope(|t| t == T::Tr, table_scope) {
                            return Ok(());
                        }
                        self.clear_to(|t| matches!(t, T::Tr | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                        return Ok(());
                    }
                    T::Table | T::Tbody | T::Tfoot | T::Thead => {
                        if tag != T::Table && !self.in_scope(|x| x == tag, table_scope) {
                            return Ok(());
                        }
                        if !self.in_scope(|t| t == T::Tr, table_scope) {
                            return Ok(());
                        }
                        self.clear_to(|t| matches!(t, T::Tr | T::Html))?;
                        self.pop()?;
                        self.mode = Mode::InTableBody;
                    }
                    T::Body | T::Caption | T::Col | T::Colgroup | T::Html | T::Td | T::Th => {
                        return Ok(())
                    }
                    _ => return bail("end tag foster-parented out of a table"),
                },
                Mode::InCell => match tag {
                    T::Td | T::Th => {
                        if !self.in_scope(|x| x == tag, table_scope) {
                            return Ok(());
                        }
                        self.generate_implied_end(None)?;
                        self.pop_through_marker(|x| x == tag)?;
                        self.mode = Mode::InRow;
                        return Ok(());
                    }
                    T::Body | T::Caption | T::Col | T::Colgroup | T::Html => return Ok(()),
                    T::Table | T::Tbody | T::Tfoot | T::Thead | T::Tr => {
                        if !self.in_scope(|x| x == tag, table_scope) {
                            return Ok(());
                        }
                        self.close_cell()?;
                    }
                    _ => return self.in_body_end(t),
                },
                Mode::InCaption => match tag {
                    T::Caption => {
                        if self.in_scope(|t| t == T::Caption, table_scope) {
                            self.close_caption()?;
                        }
                        return Ok(());
                    }
                    T::Table => {
                        if !self.in_scope(|t| t == T::Caption, table_scope) {
                            return Ok(());
                        }
                        self.close_caption()?;
                    }
                    T::Body
                    | T::Col
                    | T::Colgroup
                    | T::Html
                    | T::Tbody
                    | T::Td
                    | T::Tfoot
                    | T::Th
                    | T::Thead
                    | T::Tr => return Ok(()),
                    _ => return self.in_body_end(t),
                },
                Mode::InColumnGroup => match tag {
                    T::Colgroup => {
                        self.leave_colgroup()?;
                        return Ok(());
                    }
                    T::Col => return Ok(()),
                    T::Template => return bail("template"),
                    _ => self.leave_colgroup()?,
                },
                Mode::AfterBody => {
                    if tag == T::Html {
                        self.mode = Mode::AfterAfterBody;
                        return Ok(());
                    }
                    self.mode = Mode::InBody;
                }
                Mode::AfterAfterBody => self.mode = Mode::InBody,
            }
        }
    }

    fn close_table(&mut self) -> R {
        if !self.in_scope(|t| t == T::Table, table_scope) {
            return Ok(());
        }
        self.pop_until(|t| t == T::Table)?;
        self.reset_mode()
    }

    fn in_body_end(&mut self, t: &TagTok) -> R {
        let tag = t.tag;
        match tag {
            T::Body | T::Html => {
                if self.in_scope(|t| t == T::Body, default_scope) {
                    self.mode = if tag == T::Body {
                        Mode::AfterBody
                    } else {
                        Mode::AfterAfterBody
                    };
                }
            }
            T::Address
            | T::Article
            | T::Aside
            | T::Blockquote
            | T::Button
            | T::Center
            | T::Details
            | T::Dialog
            | T::Dir
            | T::Div
            | T::Dl
            | T::Fieldset
            | T::Figcaption
            | T::Figure
            | T::Footer
            | T::Header
            | T::Hgroup
            | T::Listing
            | T::Main
            | T::Menu
            | T::Nav
            | T::Ol
            | T::Pre
            | T::Search
            | T::Section
            | T::Summary
            | T::Ul => {
                if self.in_scope(|x| x == tag, default_scope) {
                    self.generate_implied_end(None)?;
                    self.pop_until(|x| x == tag)?;
                }
            }
            T::P => {
                if !self.in_scope(|t| t == T::P, button_scope) {
                    return bail("</p> with no open <p>");
                }
                self.close_p()?;
            }
            T::Li => {
                if self.in_scope(|t| t == T::Li, list_item_scope) {
                    self.generate_implied_end(Some(T::Li))?;
                    self.pop_until(|t| t == T::Li)?;
                }
            }
            T::Dd | T::Dt => {
                if self.in_scope(|x| x == tag, default_scope) {
                    self.generate_implied_end(Some(tag))?;
                    self.pop_until(|x| x == tag)?;
                }
            }
            T::H1 | T::H2 | T::H3 | T::H4 | T::H5 | T::H6 => {
                if self.in_scope(heading, default_scope) {
                    self.generate_implied_end(None)?;
                    self.pop_until(heading)?;
                }
            }
            _ if formatting(tag) => {
                // The adoption agency's first step: the current node is the element.
                if self.current_tag() == tag {
                    self.stack.pop();
                } else if self.formatting_after_marker(tag) {
                    return bail("misnested formatting element (adoption agency)");
                } else {
                    self.any_other_end(t)?;
                }
            }
            T::Form | T::Applet | T::Marquee | T::Object | T::Br | T::Template => {
                return bail("end tag outside the subset");
            }
            _ => self.any_other_end(t)?,
        }
        Ok(())
    }

    fn any_other_end(&mut self, t: &TagTok) -> R {
        let name = t.local();
        let mut found = None;
        for (i, o) in self.stack.iter().enumerate().rev() {
            let same = match t.tag {
                T::Other => self.nodes.get(o.id).is_some_and(|n| n.name.local == name),
                tag => o.tag == tag,
            };
            if same {
                found = Some(i);
                break;
            }
            if special(o.tag) {
                return Ok(());
            }
        }
        let Some(i) = found else { return Ok(()) };
        let except = (t.tag != T::Other).then_some(t.tag);
        self.generate_implied_end(except)?;
        while self.stack.len() > i {
            self.pop()?;
        }
        Ok(())
    }

    // ---- text, comments, doctype, end of file ----

    /// Text in the data state (entities decoded, CR LF normalised).
    fn text(&mut self, s: &str) -> R {
        let mut s = s;
        if std::mem::take(&mut self.ignore_lf) {
            s = s.strip_prefix('\n').unwrap_or(s);
        }
        let t = TagTok {
            tag: T::Other,
            other: None,
            colspan: None,
            rowspan: None,
        };
        loop {
            if s.is_empty() {
                return Ok(());
            }
            let ws = s.bytes().take_while(|&b| is_ws(b)).count();
            let (lead, rest) = s.split_at(ws);
            match self.mode {
                Mode::Initial | Mode::BeforeHtml | Mode::BeforeHead => {
                    s = rest;
                    if s.is_empty() {
                        return Ok(());
                    }
                    match self.mode {
                        Mode::Initial => {
                            self.quirks = Quirks::Yes;
                            self.mode = Mode::BeforeHtml;
                        }
                        Mode::BeforeHtml => self.create_html()?,
                        _ => self.create_head(&t, false)?,
                    }
                }
                Mode::InHead | Mode::AfterHead | Mode::InColumnGroup => {
                    self.insert_text(lead)?;
                    s = rest;
                    if s.is_empty() {
                        return Ok(());
                    }
                    match self.mode {
                        Mode::InHead => {
                            self.pop()?;
                            self.mode = Mode::AfterHead;
                        }
                        Mode::AfterHead => self.create_body(&t, false)?,
                        _ => self.leave_colgroup()?,
                    }
                }
                Mode::InBody | Mode::InCell | Mode::InCaption => return self.insert_text(s),
                Mode::InTable | Mode::InTableBody | Mode::InRow => {
                    let table_node = matches!(
                        self.current_tag(),
                        T::Table | T::Tbody | T::Tfoot | T::Thead | T::Tr
                    );
                    if !rest.is_empty() || !table_node {
                        return bail("text foster-parented out of a table");
                    }
                    self.pending.push_str(s);
                    return Ok(());
                }
                Mode::AfterBody | Mode::AfterAfterBody => {
                    if !rest.is_empty() {
                        self.mode = Mode::InBody;
                    }
                    return self.insert_text(s);
                }
            }
        }
    }

    /// Text of a raw text or RCDATA element (the current node).
    fn raw_text(&mut self, s: &str) -> R {
        let mut s = s;
        if std::mem::take(&mut self.ignore_lf) {
            s = s.strip_prefix('\n').unwrap_or(s);
        }
        self.insert_text(s)
    }

    fn end_raw(&mut self) -> R {
        self.ignore_lf = false;
        self.pop().map(|_| ())
    }

    /// Whether text now may create `<html>`, `<head>` or `<body>`.
    fn may_imply(&self) -> bool {
        matches!(
            self.mode,
            Mode::Initial | Mode::BeforeHtml | Mode::BeforeHead | Mode::InHead | Mode::AfterHead
        )
    }

    fn comment(&mut self) -> R {
        self.flush()?;
        self.ignore_lf = false;
        let parent = match self.mode {
            Mode::Initial | Mode::BeforeHtml | Mode::AfterAfterBody => 0,
            Mode::AfterBody => match self.stack.first() {
                Some(o) => o.id,
                None => return bail("no html element"),
            },
            _ => self.current()?.id,
        };
        let id = self.push_node(empty_name(), Kind::Other)?;
        self.link(parent, id)
    }

    fn doctype(&mut self, quirks: Quirks) -> R {
        self.flush()?;
        self.ignore_lf = false;
        if self.mode == Mode::Initial {
            self.quirks = quirks;
            self.mode = Mode::BeforeHtml;
        }
        Ok(())
    }

    fn eof(&mut self) -> R {
        self.flush()?;
        let t = TagTok {
            tag: T::Other,
            other: None,
            colspan: None,
            rowspan: None,
        };
        loop {
            match self.mode {
                Mode::Initial => {
                    self.quirks = Quirks::Yes;
                    self.mode = Mode::BeforeHtml;
                }
                Mode::BeforeHtml => self.create_html()?,
                Mode::BeforeHead => self.create_head(&t, false)?,
                Mode::InHead => {
                    self.pop()?;
                    self.mode = Mode::AfterHead;
                }
                Mode::AfterHead => self.create_body(&t, false)?,
                _ => return Ok(()),
            }
        }
    }
}

/// The offset [`crate::dom`]'s chunked feeding gives to nodes created at a position: that
/// of the last `<` at or before it that is followed by a letter or `/` (mapped through the
/// `<` map for pages not read as UTF-8).
struct Chunks<'a> {
    bytes: &'a [u8],
    lt: Option<&'a [u64]>,
    base: u64,
    /// Every `<` before this index has been seen.
    cursor: usize,
    /// How many `<` have been seen.
    lt_seen: usize,
    start: usize,
    start_lt: usize,
}

impl Chunks<'_> {
    /// The offset of a start or end tag from `at` (its `<`) to `gt` (its `>`) with no other
    /// `<` inside (`inner_lt` false): the tag starts a chunk, known without a scan (pages read
    /// as UTF-8; others count every `<` for the map).
    fn tag_at(&mut self, at: usize, gt: usize, inner_lt: bool) -> u64 {
        if self.lt.is_none() && !inner_lt && self.cursor <= at {
            self.start = at;
            self.cursor = gt + 1;
            return self.base + at as u64;
        }
        self.byte_at(gt)
    }

    fn byte_at(&mut self, pos: usize) -> u64 {
        let end = pos.saturating_add(1).min(self.bytes.len());
        while self.cursor < end {
            // Most calls look at a byte or two just past the last token: no memchr set-up.
            let found = match self.bytes.get(self.cursor..end) {
                Some(s) if s.len() < 16 => s.iter().position(|&c| c == b'<'),
                Some(s) => memchr(b'<', s),
                None => None,
            };
            let Some(k) = found else {
                self.cursor = end;
                break;
            };
            let i = self.cursor + k;
            if self
                .bytes
                .get(i + 1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'/')
            {
                self.start = i;
                self.start_lt = self.lt_seen;
            }
            self.lt_seen += 1;
            self.cursor = i + 1;
        }
        let at = self.base + self.start as u64;
        match self.lt {
            Some(map) if self.bytes.get(self.start) == Some(&b'<') => {
                map.get(self.start_lt).copied().unwrap_or(at)
            }
            _ => at,
        }
    }
}

/// Decode character references and normalise CR LF / CR to LF, as html5ever's tokenizer does
/// in the data and RCDATA states (`refs` false: RAWTEXT, newlines only).
fn decode_text(s: &str, refs: bool, out: &mut String) {
    out.clear();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let next = if refs {
            memchr2(b'&', b'\r', &b[i..])
        } else {
            memchr(b'\r', &b[i..])
        };
        let Some(k) = next else {
            out.push_str(&s[i..]);
            return;
        };
        out.push_str(&s[i..i + k]);
        i += k;
        if b[i] == b'\r' {
            out.push('\n');
            i += 1;
            if b.get(i) == Some(&b'\n') {
                i += 1;
            }
            continue;
        }
        i = char_ref(s, i, out);
    }
}

/// The character reference at `s[amp]` (an `&`), appended to `out`; returns where the text
/// goes on. html5ever's algorithm: the longest name in the entity table that the input
/// starts with (semicolon or not, in text), numeric references with HTML's replacements.
fn char_ref(s: &str, amp: usize, out: &mut String) -> usize {
    let b = s.as_bytes();
    let start = amp + 1;
    match b.get(start) {
        Some(c) if c.is_ascii_alphanumeric() => {
            let mut best: Option<(usize, (u32, u32))> = None;
            let mut end = start;
            while end < b.len() {
                end += 1;
                let Some(key) = s.get(start..end) else { break };
                match html5ever::data::NAMED_ENTITIES.get(key) {
                    Some(&m) => {
                        if m.0 != 0 {
                            best = Some((end, m));
                        }
                    }
                    None => break,
                }
            }
            match best {
                Some((end, (c1, c2))) => {
                    out.extend(char::from_u32(c1));
                    if c2 != 0 {
                        out.extend(char::from_u32(c2));
                    }
                    end
                }
                None => {
                    out.push('&');
                    start
                }
            }
        }
        Some(b'#') => {
            let (hex, digits_at) = match b.get(start + 1) {
                Some(b'x' | b'X') => (true, start + 2),
                _ => (false, start + 1),
            };
            let base = if hex { 16 } else { 10 };
            let mut i = digits_at;
            let mut n: u32 = 0;
            let mut too_big = false;
            while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(base)) {
                n = n.wrapping_mul(base);
                if n > 0x10FFFF {
                    too_big = true;
                }
                n = n.wrapping_add(d);
                i += 1;
            }
            if i == digits_at {
                out.push('&');
                return start;
            }
            if b.get(i) == Some(&b';') {
                i += 1;
            }
            let c = match n {
                _ if too_big || n > 0x10FFFF => '\u{fffd}',
                0 | 0xD800..=0xDFFF => '\u{fffd}',
                0x80..=0x9F => html5ever::data::C1_REPLACEMENTS
                    .get((n - 0x80) as usize)
                    .copied()
                    .flatten()
                    .or_else(|| char::from_u32(n))
                    .unwrap_or('\u{fffd}'),
                _ => char::from_u32(n).unwrap_or('\u{fffd}'),
            };
            out.push(c);
            i
        }
        _ => {
            out.push('&');
            start
        }
    }
}

/// The tokenizer: the page's tokens into the builder.
struct Tokenizer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    chunks: Chunks<'a>,
    scratch: String,
}

impl<'a> Tokenizer<'a> {
    /// The next `<` at or after `from` that starts markup (a letter, `/`, `!` or `?` after
    /// it); a lone `<` is text.
    fn next_markup(&self, from: usize) -> usize {
        let mut i = from;
        while let Some(k) = self.bytes.get(i..).and_then(|s| memchr(b'<', s)) {
            let at = i + k;
            match self.bytes.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?') => return at,
                _ => i = at + 1,
            }
        }
        self.bytes.len()
    }

    /// A tag whose name starts at `name_at`; returns it, the index of its `>` and whether a
    /// `<` occurs inside it (see [`Chunks::tag_at`]).
    fn tag(&self, name_at: usize, start: bool) -> R<(TagTok, usize, bool)> {
        let b = self.bytes;
        let mut inner_lt = false;
        let mut i = scan_to(b, name_at, &TAG_NAME_STOP, &mut inner_lt);
        if i >= b.len() {
            return bail("tag cut off by the end");
        }
        let raw = b.get(name_at..i).unwrap_or_default();
        // Names are nearly always lower case already: matched as they are, and lowered
        // into a buffer only when that finds nothing and there is an upper-case letter.
        let tag = match tag_of(raw) {
            T::Other if raw.iter().any(u8::is_ascii_uppercase) => {
                let mut lower = [0u8; 12];
                match lower.get_mut(..raw.len()) {
                    Some(buf) => {
                        for (d, s) in buf.iter_mut().zip(raw) {
                            *d = s.to_ascii_lowercase();
                        }
                        tag_of(buf)
                    }
                    None => T::Other,
                }
            }
            tag => tag,
        };
        let other = match tag {
            T::Other => match self.text.get(name_at..i) {
                Some(n) => Some(LocalName::from(n.to_ascii_lowercase())),
                None => return bail("tag name off a char boundary"),
            },
            _ => None,
        };
        let mut tok = TagTok {
            tag,
            other,
            colspan: None,
            rowspan: None,
        };
        let spans = start && matches!(tag, T::Td | T::Th);
        let (mut seen_col, mut seen_row) = (false, false);
        loop {
            // Before attribute name.
            while b.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            match b.get(i) {
                None => return bail("tag cut off by the end"),
                Some(b'>') => return Ok((tok, i, inner_lt)),
                Some(b'/') => {
                    if b.get(i + 1) == Some(&b'>') {
                        return Ok((tok, i + 1, inner_lt));
                    }
                    i += 1;
                    continue;
                }
                Some(b'=') => return bail("attribute name starting with ="),
                Some(_) => {}
            }
            let name_start = i;
            i = scan_to(b, i, &ATTR_NAME_STOP, &mut inner_lt);
            let name = b.get(name_start..i).unwrap_or_default();
            // After attribute name.
            while b.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            // An attribute without `=` has the empty value, and as the first of its name it
            // is the one html5ever keeps (`<td rowspan rowspan=3>` spans one row).
            let has_value = b.get(i) == Some(&b'=');
            if has_value {
                i += 1;
                while b.get(i).is_some_and(|&c| is_ws(c)) {
                    i += 1;
                }
            }
            let value = match b.get(i) {
                _ if !has_value => &[],
                None => return bail("tag cut off by the end"),
                Some(b'>') => &b[i..i],
                Some(&q @ (b'"' | b'\'')) => {
                    // One search for the closing quote and any `<` before it.
                    let v0 = i + 1;
                    let mut j = v0;
                    let close = loop {
                        match b.get(j..).and_then(|s| memchr2(q, b'<', s)) {
                            Some(k) if b.get(j + k) == Some(&q) => break j + k,
                            Some(k) => {
                                inner_lt = true;
                                j += k + 1;
                            }
                            None => return bail("tag cut off by the end"),
                        }
                    };
                    i = close + 1;
                    &b[v0..close]
                }
                Some(_) => {
                    let v0 = i;
                    i = scan_to(b, i, &UNQUOTED_STOP, &mut inner_lt);
                    b.get(v0..i).unwrap_or_default()
                }
            };
            if spans {
                let col = name.eq_ignore_ascii_case(b"colspan");
                let row = name.eq_ignore_ascii_case(b"rowspan");
                // html5ever keeps the first of duplicate attributes.
                if (col && !seen_col) || (row && !seen_row) {
                    if value.contains(&b'&') {
                        return bail("character reference in a span");
                    }
                    let v = std::str::from_utf8(value).map_or(None, dom::non_negative);
                    if col {
                        seen_col = true;
                        tok.colspan = v;
                    } else {
                        seen_row = true;
                        tok.rowspan = v;
                    }
                }
            }
        }
    }

    fn comment(&mut self, b: &mut Builder) -> R {
        let body = self.pos + 4;
        let rest = self.bytes.get(body..).unwrap_or_default();
        if rest.first() == Some(&b'>') || rest.starts_with(b"->") {
            return bail("abrupt comment");
        }
        let Some(k) = memmem::find(rest, b"-->") else {
            return bail("comment cut off by the end");
        };
        if memmem::find(&rest[..k], b"--!").is_some() {
            return bail("--! in a comment");
        }
        let gt = body + k + 2;
        b.byte = self.chunks.byte_at(gt);
        b.comment()?;
        self.pos = gt + 1;
        Ok(())
    }

    fn doctype(&mut self, b: &mut Builder) -> R {
        let from = self.pos + 9;
        let Some(k) = self.bytes.get(from..).and_then(|s| memchr(b'>', s)) else {
            return bail("doctype cut off by the end");
        };
        let inner = &self.bytes[from..from + k];
        let inner = inner.trim_ascii();
        let quirks = if inner.eq_ignore_ascii_case(b"html") {
            Quirks::No
        } else {
            Quirks::Unknown
        };
        b.doctype(quirks)?;
        self.pos = from + k + 1;
        Ok(())
    }

    /// Content of a raw text / RCDATA / script element, then its end tag.
    fn raw(&mut self, b: &mut Builder, name: &[u8], rcdata: bool, script: bool) -> R {
        let from = self.pos;
        let bytes = self.bytes;
        let mut i = from;
        let end = loop {
            let Some(k) = bytes.get(i..).and_then(|s| memmem::find(s, b"</")) else {
                break None;
            };
            let at = i + k;
            let n_end = at + 2 + name.len();
            let matches = bytes
                .get(at + 2..n_end)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
                && bytes
                    .get(n_end)
                    .is_some_and(|&c| is_ws(c) || c == b'/' || c == b'>');
            if matches {
                break Some(at);
            }
            i = at + 2;
        };
        let stop = end.unwrap_or(bytes.len());
        let content = self.text.get(from..stop).unwrap_or_default();
        if script && memmem::find(content.as_bytes(), b"<!--").is_some() {
            return bail("<!-- in a script");
        }
        if !content.is_empty() {
            b.byte = self.chunks.byte_at(from);
            b.lagging = matches!(content.as_bytes().first(), Some(b'&' | b'<'));
            if memchr2(b'&', b'\r', content.as_bytes()).is_some() {
                let mut scratch = std::mem::take(&mut self.scratch);
                decode_text(content, rcdata, &mut scratch);
                let r = b.raw_text(&scratch);
                self.scratch = scratch;
                r?;
            } else {
                b.raw_text(content)?;
            }
            b.lagging = false;
        }
        match end {
            Some(at) => {
                let (_, gt, _) = self.tag(at + 2, false)?;
                b.byte = self.chunks.byte_at(gt);
                b.end_raw()?;
                self.pos = gt + 1;
            }
            None => {
                // EOF in text mode: the element is popped, EOF handled in the original mode.
                b.byte = self.chunks.byte_at(bytes.len());
                b.end_raw()?;
                self.pos = bytes.len();
            }
        }
        Ok(())
    }

    fn text_run(&mut self, b: &mut Builder, end: usize) -> R {
        let Some(raw) = self.text.get(self.pos..end) else {
            return bail("text off a char boundary");
        };
        b.byte = self.chunks.byte_at(self.pos);
        // html5ever may finish an entity or a lone `<` ending the run only in the next
        // feeding chunk, and so create `<head>`/`<body>` with that chunk's offset.
        if b.may_imply() && memchr2(b'&', b'<', raw.as_bytes()).is_some() {
            return bail("entity or < in text implying head/body");
        }
        b.lagging = matches!(raw.as_bytes().first(), Some(b'&' | b'<'));
        let r = if memchr2(b'&', b'\r', raw.as_bytes()).is_some() {
            let mut scratch = std::mem::take(&mut self.scratch);
            decode_text(raw, true, &mut scratch);
            let r = b.text(&scratch);
            self.scratch = scratch;
            r
        } else {
            b.text(raw)
        };
        b.lagging = false;
        r?;
        self.pos = end;
        Ok(())
    }

    fn run(&mut self, b: &mut Builder) -> R {
        let bytes = self.bytes;
        while self.pos < bytes.len() {
            let end = self.next_markup(self.pos);
            if end > self.pos {
                self.text_run(b, end)?;
                continue;
            }
            let at = self.pos;
            match bytes.get(at + 1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (tok, gt, inner_lt) = self.tag(at + 1, true)?;
                    b.byte = self.chunks.tag_at(at, gt, inner_lt);
                    self.pos = gt + 1;
                    if let After::Raw {
                        name,
                        rcdata,
                        script,
                    } = b.start_tag(&tok)?
                    {
                        self.raw(b, name, rcdata, script)?;
                    }
                }
                Some(b'/') => match bytes.get(at + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let (tok, gt, inner_lt) = self.tag(at + 2, false)?;
                        b.byte = self.chunks.tag_at(at, gt, inner_lt);
                        self.pos = gt + 1;
                        b.end_tag(&tok)?;
                    }
                    // `</>` is dropped by the tokenizer.
                    Some(b'>') => self.pos = at + 3,
                    _ => return bail("bogus end tag"),
                },
                Some(b'!') => {
                    let rest = bytes.get(at..).unwrap_or_default();
                    if rest.starts_with(b"<!--") {
                        self.comment(b)?;
                    } else if rest
                        .get(..9)
                        .is_some_and(|d| d.eq_ignore_ascii_case(b"<!doctype"))
                    {
                        self.doctype(b)?;
                    } else {
                        return bail("bogus comment");
                    }
                }
                _ => return bail("bogus comment"),
            }
        }
        b.byte = self.chunks.byte_at(bytes.len());
        b.eof()
    }
}

/// Parse `text` as [`crate::dom::parse`] would (same arguments), or say it is outside the
/// subset.
pub(crate) fn parse(
    text: &str,
    lt: Option<&[u64]>,
    base: u64,
    max_depth: usize,
    max_nodes: usize,
) -> Outcome {
    let bytes = text.as_bytes();
    if memchr(0, bytes).is_some() {
        return Outcome::Bail("NUL");
    }
    // html5ever's tokenizer drops a byte order mark starting its input.
    if text.starts_with('\u{feff}') {
        return Outcome::Bail("byte order mark in the text");
    }
    let mut nodes = Vec::with_capacity(crate::dom::arena_reserve(text, max_nodes));
    nodes.push(Node::new(empty_name(), Kind::Document, base));
    let mut b = Builder {
        nodes,
        stack: Vec::with_capacity(32),
        mode: Mode::Initial,
        head: None,
        quirks: Quirks::Yes,
        ignore_lf: false,
        pending: String::new(),
        byte: base,
        lagging: false,
        max_depth: u32::try_from(max_depth).unwrap_or(u32::MAX),
        max_nodes,
    };
    let mut tok = Tokenizer {
        text,
        bytes,
        pos: 0,
        chunks: Chunks {
            bytes,
            lt,
            base,
            cursor: 0,
            lt_seen: 0,
            start: 0,
            start_lt: 0,
        },
        scratch: String::new(),
    };
    match tok.run(&mut b) {
        Ok(()) => Outcome::Dom(Dom { nodes: b.nodes }),
        Err(Halt::Stop(s)) => Outcome::Stop(s),
        Err(Halt::Bail(why)) => Outcome::Bail(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(s: &str) -> String {
        let mut out = String::new();
        decode_text(s, true, &mut out);
        out
    }

    #[test]
    fn references_decode_as_html5ever_does() {
        assert_eq!(decoded("a&amp;b"), "a&b");
        assert_eq!(decoded("&notit;"), "\u{ac}it;");
        assert_eq!(decoded("&ampx &lt3"), "&x <3");
        assert_eq!(decoded("&#x41;&#66&#0;&#x80;"), "AB\u{fffd}\u{20ac}");
        assert_eq!(decoded("&#;&#x;&zzz;&"), "&#;&#x;&zzz;&");
        assert_eq!(decoded("a\r\nb\rc"), "a\nb\nc");
        assert_eq!(decoded("&#99999999999;"), "\u{fffd}");
    }

    #[test]
    fn tag_names_match_as_bytes() {
        assert_eq!(tag_of(b"td"), T::Td);
        assert_eq!(tag_of(b"blockquote"), T::Blockquote);
        assert_eq!(tag_of(b"tdx"), T::Other);
        assert_eq!(T::Font.local(), Some(local_name!("font")));
    }
}
