//! Arbitrary documents from bytes, for fuzzing and property tests of code that consumes the
//! model (the normaliser): shapes no reader would produce — huge spans, ragged rows, merges
//! everywhere — built from a vocabulary of the labels and values such code looks for.

use crate::{
    Block, Cell, Document, Origin, Paragraph, Row, SourceFormat, SourceInfo, Table, TcField,
};

/// Words the normaliser reacts to, so that random documents reach its deeper paths.
const WORDS: &[&str] = &[
    "",
    "467002定州市生态环境局",
    "单位：万元",
    "金额单位:元",
    "项目编码",
    "467-0201-YCN-4OK6",
    "项目名称",
    "预算规模及资金用途",
    "预算数",
    "4621.00",
    "其中：财政资金",
    "其他资金",
    "资金支出计划（%）",
    "3月底",
    "12月底",
    "100.00",
    "绩效目标",
    "1、完成任务\n2、",
    "一级指标",
    "二级指标",
    "三级指标",
    "绩效指标描述",
    "指标值",
    "指标值确定依据",
    "产出指标",
    "满意度指标",
    "群众满意度",
    "≥60",
    "<10",
    "≤12",
    "0改善空气质量",
    "8,827,620.53",
    "１００％",
    "第一部分",
    "一、总体绩效目标",
    "一是",
    "1、某某绩效目标表",
];

/// Build a document from arbitrary bytes. Total: never panics, always terminates, and the
/// size of the result is bounded by the input length.
pub fn document_from_fuzz_bytes(data: &[u8]) -> Document {
    let mut doc = Document::new(SourceInfo::new("fuzz", SourceFormat::TextExport));
    let mut it = data.iter().copied();
    let word = |b: u8| WORDS[b as usize % WORDS.len()].to_string();
    while let Some(op) = it.next() {
        let arg = it.next().unwrap_or(0);
        match op % 8 {
            0 => doc.blocks.push(Block::Paragraph(Paragraph {
                text: word(arg),
                origin: Origin::text(u32::from(arg), 0),
                ..Paragraph::default()
            })),
            1 => doc.blocks.push(Block::Table(Table::default())),
            2 => {
                if let Some(Block::Table(t)) = doc.blocks.last_mut() {
                    t.rows.push(Row {
                        grid_before: u32::from(arg % 4),
                        ..Row::default()
                    });
                }
            }
            3 => {
                if let Some(Block::Table(t)) = doc.blocks.last_mut() {
                    if t.rows.is_empty() {
                        t.rows.push(Row::default());
                    }
                    if let Some(r) = t.rows.last_mut() {
                        r.cells.push(Cell::from_text(word(arg), Origin::Unknown));
                    }
                }
            }
            4 | 5 => {
                if let Some(Block::Table(t)) = doc.blocks.last_mut() {
                    if let Some(c) = t.rows.last_mut().and_then(|r| r.cells.last_mut()) {
                        // Spans up to u32::MAX must be survivable; most inputs use small ones.
                        let span = if arg == 255 { u32::MAX } else { u32::from(arg) };
                        if op % 8 == 4 {
                            c.col_span = span;
                        } else {
                            c.row_span = span;
                        }
                    }
                }
            }
            6 => {
                if let Some(Block::Table(t)) = doc.blocks.last_mut() {
                    if let Some(c) = t.rows.last_mut().and_then(|r| r.cells.last_mut()) {
                        c.paragraphs.push(word(arg));
                    }
                }
            }
            _ => doc.blocks.push(Block::Paragraph(Paragraph {
                text: word(arg),
                tc: Some(TcField {
                    entry: word(arg.wrapping_add(1)),
                    type_id: Some("C".into()),
                    level: Some(arg % 10),
                    other_switches: Vec::new(),
                }),
                ..Paragraph::default()
            })),
        }
    }
    doc
}
