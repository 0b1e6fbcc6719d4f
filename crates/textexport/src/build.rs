//! Layout detection, and feeding lines to the grammars (`line`, `block`) as they are split.
//!
//! For: deciding the layout before the first line is parsed, and buffering. Not for: the
//! rules of a layout (those are the grammars).

use tablift_model::{Block, TextLayout};

use crate::block::{self, Line};
use crate::line::{self, Kind};
use crate::pipes;

/// TAB-prefixed lines looked at to tell cell-per-line from row-per-line: enough for a verdict,
/// and it keeps detection from becoming a second full pass over large inputs.
const LAYOUT_SAMPLE_LINES: usize = 256;

/// No line starts with a TAB: a pipe layout when enough lines hold a `|` (see
/// `pipes::detect`), else flattened. Otherwise row-per-line when most TAB-prefixed lines
/// hold more than one cell (a second TAB), else cell-per-line.
pub(crate) fn detect_layout(text: &str) -> TextLayout {
    let bytes = text.as_bytes();
    let (mut tab_lines, mut multi) = (0usize, 0usize);
    for (i, _) in text.match_indices('\t') {
        let at_line_start = i == 0 || matches!(bytes.get(i - 1), Some(b'\n' | b'\r'));
        if !at_line_start {
            continue;
        }
        tab_lines += 1;
        let rest = bytes.get(i + 1..).unwrap_or_default();
        let line = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(rest, |k| rest.get(..k).unwrap_or_default());
        if line.contains(&b'\t') {
            multi += 1;
        }
        if tab_lines >= LAYOUT_SAMPLE_LINES {
            break;
        }
    }
    if tab_lines == 0 {
        pipes::detect(text).unwrap_or(TextLayout::Flattened)
    } else if multi * 2 > tab_lines {
        TextLayout::RowPerLine
    } else {
        TextLayout::CellPerLine
    }
}

/// Lines collected before the block grammar first runs: large enough that the grammar runs
/// rarely, small enough to keep the buffer in cache.
const FIRST_PIECE_LINES: usize = 256;

/// Feeds classified lines to the block grammar in pieces, so that memory for lines is bounded
/// by the largest table rather than by the whole text.
pub(crate) struct Builder<'t> {
    layout: TextLayout,
    blocks: Vec<Block>,
    /// Lines not yet made into blocks (a run of blank lines is one entry).
    lines: Vec<Line<'t>>,
    /// Run the grammar once `lines` is this long. After a run, twice what is left over (a table
    /// still open), so that a long table is parsed again only O(log n) times.
    next_run: usize,
    /// The pipe layouts are read line by line by their own assembler instead.
    pipes: Option<pipes::Assembler>,
}

impl<'t> Builder<'t> {
    pub fn new(layout: TextLayout) -> Self {
        Builder {
            layout,
            blocks: Vec::new(),
            lines: Vec::with_capacity(FIRST_PIECE_LINES),
            next_run: FIRST_PIECE_LINES,
            pipes: pipes::Assembler::new(layout),
        }
    }

    /// Adds the next line (line end excluded): its text, 1-based number and the byte offset of
    /// its start in the input.
    pub fn line(&mut self, text: &'t str, no: u32, byte: u64) {
        if let Some(p) = self.pipes.as_mut() {
            p.line(text, no, byte);
            return;
        }
        let kind = line::kind(text);
        if let (
            Kind::Blank(_),
            Some(Line {
                kind: Kind::Blank(n),
                ..
            }),
        ) = (kind, self.lines.last_mut())
        {
            *n = n.saturating_add(1);
            return;
        }
        // Only at a text line after blank lines: in every layout that closes the table before
        // it, so the grammar has nothing to parse again (it would be correct anywhere else too,
        // as an open table answers `Incomplete`, but it would be parsed twice).
        let run = matches!(kind, Kind::Text(_))
            && matches!(
                self.lines.last(),
                Some(Line {
                    kind: Kind::Blank(_),
                    ..
                })
            )
            && self.lines.len() >= self.next_run;
        self.lines.push(Line { kind, no, byte });
        if run {
            let used = block::blocks(self.layout, &self.lines, false, &mut self.blocks);
            self.lines.drain(..used.min(self.lines.len()));
            self.next_run = FIRST_PIECE_LINES.max(self.lines.len().saturating_mul(2));
        }
    }

    /// Parses what is left.
    pub fn finish(mut self) -> Vec<Block> {
        if let Some(p) = self.pipes {
            return p.finish();
        }
        block::blocks(self.layout, &self.lines, true, &mut self.blocks);
        self.blocks
    }
}
