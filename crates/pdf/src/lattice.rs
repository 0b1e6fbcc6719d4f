//! The lattice builder: ruling lines from path pieces, snapped and joined; their
//! intersections as a grid; grid units merged into cells where inner borders are missing.
//!
//! Pure functions on plain geometry (points, y up), no PDF in sight: every step is unit-tested
//! on hand-made pieces below.

use crate::interp::Piece;

/// Rulings whose positions differ by at most this much (points) are one line. Chromium/Skia
/// draws every cell as its own rectangle, its edge 0.74 pt from the neighbour's, and border
/// widths are 0.5–1 pt; no two real table lines are this close (a row holds at least one line
/// of text, ~10 pt).
pub(crate) const SNAP_TOLERANCE: f32 = 1.5;

/// Collinear rulings whose ends are at most this far apart (points) are joined into one:
/// per-cell borders leave gaps of about a border width at every crossing.
pub(crate) const JOIN_GAP: f32 = 2.0;

/// A filled rectangle at most this thick (points) is a ruling along its long side: Word and
/// LibreOffice draw borders as thin filled rectangles as often as strokes. Thicker fills are
/// cell shading, whose edges coincide with the borders anyway.
pub(crate) const MAX_RULE_THICKNESS: f32 = 3.0;

/// A horizontal and a vertical ruling meet if they come this close (points): a border drawn
/// to the near edge of a crossing line, not its centre, stops short by half a line width.
pub(crate) const MEET_TOLERANCE: f32 = 2.5;

/// A grid edge counts as drawn when a ruling covers its middle: the ruling may stop short of
/// each end by this fraction of the edge's length (lines ending at a crossing's near side).
pub(crate) const EDGE_SLACK: f32 = 0.25;

/// Two grid positions at most this far apart (points) whose rulings run side by side are one
/// boundary: HTML's
/// `<table border="1">` draws every cell as its own box 2 px (2.25 pt printed) from its
/// neighbours, leaving an empty gutter. A real row or column holds text (~10 pt).
pub(crate) const GUTTER_MAX: f32 = 3.0;

/// Rulings that overlap along their length by at least this much (points) run side by side.
const SIDE_BY_SIDE: f32 = 4.0;

/// A horizontal ruling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct HLine {
    pub y: f32,
    pub x0: f32,
    pub x1: f32,
}

/// A vertical ruling.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct VLine {
    pub x: f32,
    pub y0: f32,
    pub y1: f32,
}

/// Rulings from path pieces: stroked segments as they are, thin filled rectangles along their
/// long side, the four edges of other filled rectangles smaller than `page_area / 2` (cell
/// shading or Chromium's per-cell boxes; a page-sized background is no table).
pub(crate) fn rulings(pieces: &[Piece], page_area: f32) -> (Vec<HLine>, Vec<VLine>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for p in pieces {
        let (w, ht) = (p.x1 - p.x0, p.y1 - p.y0);
        if !(w.is_finite() && ht.is_finite()) {
            continue;
        }
        if p.stroked || w.min(ht) <= MAX_RULE_THICKNESS {
            if w >= ht {
                if w > 0.0 {
                    h.push(HLine {
                        y: (p.y0 + p.y1) / 2.0,
                        x0: p.x0,
                        x1: p.x1,
                    });
                }
            } else {
                v.push(VLine {
                    x: (p.x0 + p.x1) / 2.0,
                    y0: p.y0,
                    y1: p.y1,
                });
            }
        } else if w * ht < page_area / 2.0 {
            h.push(HLine {
                y: p.y0,
                x0: p.x0,
                x1: p.x1,
            });
            h.push(HLine {
                y: p.y1,
                x0: p.x0,
                x1: p.x1,
            });
            v.push(VLine {
                x: p.x0,
                y0: p.y0,
                y1: p.y1,
            });
            v.push(VLine {
                x: p.x1,
                y0: p.y0,
                y1: p.y1,
            });
        }
    }
    (h, v)
}

/// Cluster values by single linkage: sorted, a value within [`SNAP_TOLERANCE`] of the
/// previous one joins its cluster (Chromium's doubled borders, 0.74 pt apart, chain with the
/// neighbouring rows' edges a point or so off). Returns each value's cluster mean, in the
/// input order of `values`.
fn snap_values(values: &[f32]) -> Vec<f32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        let mut sum = 0.0;
        let mut last = values[order[i]];
        while j < order.len() && values[order[j]] - last <= SNAP_TOLERANCE {
            last = values[order[j]];
            sum += last;
            j += 1;
        }
        let mean = sum / (j - i) as f32;
        for &k in &order[i..j] {
            out[k] = mean;
        }
        i = j;
    }
    out
}

/// Snap horizontal rulings to shared heights and join collinear ones that touch or nearly do.
pub(crate) fn snap_h(lines: &[HLine]) -> Vec<HLine> {
    let ys: Vec<f32> = lines.iter().map(|l| l.y).collect();
    let snapped = snap_values(&ys);
    let mut all: Vec<HLine> = lines
        .iter()
        .zip(snapped)
        .map(|(l, y)| HLine { y, ..*l })
        .collect();
    all.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let mut out: Vec<HLine> = Vec::with_capacity(all.len());
    for l in all {
        match out.last_mut() {
            Some(last) if last.y == l.y && l.x0 <= last.x1 + JOIN_GAP => {
                last.x1 = last.x1.max(l.x1);
            }
            _ => out.push(l),
        }
    }
    out
}

/// Snap vertical rulings to shared positions and join collinear ones.
pub(crate) fn snap_v(lines: &[VLine]) -> Vec<VLine> {
    let as_h: Vec<HLine> = lines
        .iter()
        .map(|l| HLine {
            y: l.x,
            x0: l.y0,
            x1: l.y1,
        })
        .collect();
    snap_h(&as_h)
        .into_iter()
        .map(|l| VLine {
            x: l.y,
            y0: l.x0,
            y1: l.x1,
        })
        .collect()
}

/// One grid cell: its top-left grid unit, spans, and box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct GridCell {
    /// Top grid row (0 = top).
    pub row: u32,
    /// Left grid column.
    pub col: u32,
    /// Grid rows covered.
    pub rows: u32,
    /// Grid columns covered.
    pub cols: u32,
    /// `[x0, y0, x1, y1]`, y up.
    pub bbox: [f32; 4],
}

/// A table fragment on one page: the grid lines and the cells they make.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Grid {
    /// Column boundaries, left to right.
    pub xs: Vec<f32>,
    /// Row boundaries, top to bottom (descending y).
    pub ys: Vec<f32>,
    /// Cells in row-major order of their top-left unit.
    pub cells: Vec<GridCell>,
    /// For every unit (row-major, `(ys.len()-1) * (xs.len()-1)`), the index of its cell.
    pub owner: Vec<u32>,
    /// For every column, whether the top edge has no ruling there (a row or a merged cell
    /// continued from the previous page, as Chromium draws them).
    pub open_top: Vec<bool>,
    /// For every column, whether the bottom edge has no ruling there (continued on the next
    /// page).
    pub open_bottom: Vec<bool>,
}

impl Grid {
    /// `[x0, y0, x1, y1]` of the whole grid.
    pub fn bbox(&self) -> [f32; 4] {
        let x0 = self.xs.first().copied().unwrap_or(0.0);
        let x1 = self.xs.last().copied().unwrap_or(0.0);
        let y1 = self.ys.first().copied().unwrap_or(0.0);
        let y0 = self.ys.last().copied().unwrap_or(0.0);
        [x0, y0, x1, y1]
    }

    /// Number of grid columns.
    pub fn columns(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    /// The cell containing the point, if any.
    pub fn cell_at(&self, x: f32, y: f32) -> Option<usize> {
        let [x0, y0, x1, y1] = self.bbox();
        if !(x >= x0 && x <= x1 && y >= y0 && y <= y1) {
            return None;
        }
        let col = self.xs.partition_point(|&b| b <= x).saturating_sub(1);
        let col = col.min(self.columns().saturating_sub(1));
        let row = self.ys.partition_point(|&b| b >= y).saturating_sub(1);
        let row = row.min(self.ys.len().saturating_sub(2));
        let unit = row * self.columns() + col;
        self.owner.get(unit).map(|&c| c as usize)
    }
}

fn cluster_positions(mut v: Vec<f32>) -> Vec<f32> {
    v.retain(|x| x.is_finite());
    v.sort_by(f32::total_cmp);
    let mut out: Vec<(f32, f32, u32)> = Vec::new(); // (last, sum, count)
    for x in v {
        match out.last_mut() {
            Some((last, sum, n)) if x - *last <= SNAP_TOLERANCE => {
                *last = x;
                *sum += x;
                *n += 1;
            }
            _ => out.push((x, x, 1)),
        }
    }
    out.into_iter().map(|(_, s, n)| s / n as f32).collect()
}

/// Merge each pair of ascending `positions` closer than [`GUTTER_MAX`] whose rulings run
/// side by side (`lines` on the same axis as (position, from, to)): the two edges of a
/// cell-spacing gutter. Cells that really are offset (a column boundary that moves by 2 pt
/// between rows) have their rulings one after the other, not side by side, and stay apart.
fn merge_gutters(positions: Vec<f32>, lines: &[(f32, f32, f32)]) -> Vec<f32> {
    let near = |p: f32| {
        lines
            .iter()
            .filter(move |l| (l.0 - p).abs() <= SNAP_TOLERANCE)
    };
    let side_by_side = |a: f32, b: f32| {
        near(a).any(|la| near(b).any(|lb| la.2.min(lb.2) - la.1.max(lb.1) >= SIDE_BY_SIDE))
    };
    let mut out: Vec<f32> = Vec::with_capacity(positions.len());
    let mut last_raw = f32::NEG_INFINITY;
    for p in positions {
        if let Some(last) = out.last_mut() {
            if p - last_raw <= GUTTER_MAX && side_by_side(last_raw, p) {
                *last = (*last + p) / 2.0;
                last_raw = p;
                continue;
            }
        }
        out.push(p);
        last_raw = p;
    }
    out
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn new(n: usize) -> Dsu {
        Dsu((0..n).collect())
    }
    fn find(&mut self, mut a: usize) -> usize {
        while let Some(&p) = self.0.get(a) {
            if p == a {
                break;
            }
            let gp = self.0.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.0.get_mut(a) {
                *slot = gp;
            }
            a = p;
        }
        a
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            if let Some(slot) = self.0.get_mut(ra.max(rb)) {
                *slot = ra.min(rb);
            }
        }
    }
}

fn meets(h: &HLine, v: &VLine) -> bool {
    v.x >= h.x0 - MEET_TOLERANCE
        && v.x <= h.x1 + MEET_TOLERANCE
        && h.y >= v.y0 - MEET_TOLERANCE
        && h.y <= v.y1 + MEET_TOLERANCE
}

/// Most grid units one table fragment may have (a guard against quadratic work on a page of
/// hatching; a real table has a few hundred).
const MAX_UNITS: usize = 20_000;

/// Group snapped rulings into connected networks and build a grid for each that has at least
/// two rows and two columns.
pub(crate) fn grids(h: &[HLine], v: &[VLine]) -> Vec<Grid> {
    let n = h.len() + v.len();
    let mut dsu = Dsu::new(n);
    for (i, hl) in h.iter().enumerate() {
        for (j, vl) in v.iter().enumerate() {
            if meets(hl, vl) {
                dsu.union(i, h.len() + j);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let r = dsu.find(i);
        match groups.iter_mut().find(|g| g.0 == r) {
            Some(g) => g.1.push(i),
            None => groups.push((r, vec![i])),
        }
    }
    let mut out = Vec::new();
    for (_, members) in groups {
        let hs: Vec<HLine> = members.iter().filter_map(|&i| h.get(i).copied()).collect();
        let vs: Vec<VLine> = members
            .iter()
            .filter_map(|&i| i.checked_sub(h.len()).and_then(|j| v.get(j)).copied())
            .collect();
        if hs.is_empty() || vs.len() < 2 {
            continue;
        }
        if let Some(g) = grid(&hs, &vs) {
            out.push(g);
        }
    }
    out.sort_by(|a, b| b.bbox()[3].total_cmp(&a.bbox()[3]));
    out
}

/// Whether some ruling at `pos` covers `lo..hi` (all but [`EDGE_SLACK`] at each end).
fn covered(lines: impl Iterator<Item = (f32, f32, f32)>, pos: f32, lo: f32, hi: f32) -> bool {
    let slack = (hi - lo) * EDGE_SLACK;
    lines
        .filter(|(p, _, _)| (p - pos).abs() <= SNAP_TOLERANCE)
        .any(|(_, a, b)| a <= lo + slack && b >= hi - slack)
}

/// The grid of one connected network of rulings.
pub(crate) fn grid(hs: &[HLine], vs: &[VLine]) -> Option<Grid> {
    let left = hs.iter().map(|l| l.x0).fold(f32::INFINITY, f32::min);
    let right = hs.iter().map(|l| l.x1).fold(f32::NEG_INFINITY, f32::max);
    let bottom = vs.iter().map(|l| l.y0).fold(f32::INFINITY, f32::min);
    let top = vs.iter().map(|l| l.y1).fold(f32::NEG_INFINITY, f32::max);
    let mut xs = cluster_positions(vs.iter().map(|l| l.x).collect());
    // Horizontal lines reaching past the outermost verticals (an open side) extend the grid.
    for edge in [left, right] {
        if xs.iter().all(|x| (x - edge).abs() > SNAP_TOLERANCE * 2.0) {
            xs.push(edge);
        }
    }
    xs.sort_by(f32::total_cmp);
    let mut ys = cluster_positions(hs.iter().map(|l| l.y).collect());
    // Verticals reaching past the outermost horizontals: a row left open by a page break.
    for edge in [bottom, top] {
        if ys.iter().all(|y| (y - edge).abs() > SNAP_TOLERANCE * 2.0) {
            ys.push(edge);
        }
    }
    ys.sort_by(|a, b| b.total_cmp(a));
    let vlines: Vec<(f32, f32, f32)> = vs.iter().map(|l| (l.x, l.y0, l.y1)).collect();
    let hlines: Vec<(f32, f32, f32)> = hs.iter().map(|l| (l.y, l.x0, l.x1)).collect();
    let xs = merge_gutters(xs, &vlines);
    let mut ys = merge_gutters(ys.into_iter().rev().collect(), &hlines);
    ys.reverse();
    let (cols, rows) = (xs.len().checked_sub(1)?, ys.len().checked_sub(1)?);
    if cols == 0 || rows == 0 || cols.saturating_mul(rows) > MAX_UNITS {
        return None;
    }
    let hx = || hs.iter().map(|l| (l.y, l.x0, l.x1));
    let vx = || vs.iter().map(|l| (l.x, l.y0, l.y1));
    let unit = |r: usize, c: usize| r * cols + c;
    let mut dsu = Dsu::new(rows * cols);
    for r in 0..rows {
        let (y_top, y_bot) = (ys[r], ys[r + 1]);
        for c in 0..cols {
            let (x_l, x_r) = (xs[c], xs[c + 1]);
            if c + 1 < cols && !covered(vx(), x_r, y_bot, y_top) {
                dsu.union(unit(r, c), unit(r, c + 1));
            }
            if r + 1 < rows && !covered(hx(), y_bot, x_l, x_r) {
                dsu.union(unit(r, c), unit(r + 1, c));
            }
        }
    }
    let open_top = (0..cols)
        .map(|c| !covered(hx(), ys[0], xs[c], xs[c + 1]))
        .collect();
    let open_bottom = (0..cols)
        .map(|c| !covered(hx(), ys[rows], xs[c], xs[c + 1]))
        .collect();
    // Each region's extent in grid units.
    let mut extent: Vec<Option<(usize, usize, usize, usize)>> = vec![None; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let root = dsu.find(unit(r, c));
            let e = extent.get_mut(root)?;
            *e = Some(match *e {
                None => (r, c, r, c),
                Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
            });
        }
    }
    let mut owner = vec![u32::MAX; rows * cols];
    let mut cells = Vec::new();
    for r in 0..rows {
        for c in 0..cols {
            if owner[unit(r, c)] != u32::MAX {
                continue;
            }
            let root = dsu.find(unit(r, c));
            let Some((_, _, r1, c1)) = extent.get(root).copied().flatten() else {
                continue;
            };
            // A non-rectangular region (broken borders) is cut to the rectangle from here.
            let r1 = r1.max(r);
            let c1 = c1.max(c);
            let index = u32::try_from(cells.len()).ok()?;
            for rr in r..=r1 {
                for cc in c..=c1 {
                    let slot = owner.get_mut(unit(rr, cc))?;
                    if *slot == u32::MAX {
                        *slot = index;
                    }
                }
            }
            cells.push(GridCell {
                row: r as u32,
                col: c as u32,
                rows: (r1 - r + 1) as u32,
                cols: (c1 - c + 1) as u32,
                bbox: [xs[c], ys[r1 + 1], xs[c1 + 1], ys[r]],
            });
        }
    }
    Some(Grid {
        xs,
        ys,
        cells,
        owner,
        open_top,
        open_bottom,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(x0: f32, y0: f32, x1: f32, y1: f32) -> Piece {
        Piece {
            x0,
            y0,
            x1,
            y1,
            stroked: true,
        }
    }

    fn build(pieces: &[Piece]) -> Vec<Grid> {
        let (h, v) = rulings(pieces, 1e6);
        grids(&snap_h(&h), &snap_v(&v))
    }

    /// A 3×2 grid: rows at y 100, 80, 60, 40; columns at x 0, 50, 100.
    fn full_grid() -> Vec<Piece> {
        let mut p = Vec::new();
        for y in [100.0, 80.0, 60.0, 40.0] {
            p.push(line(0.0, y, 100.0, y));
        }
        for x in [0.0, 50.0, 100.0] {
            p.push(line(x, 40.0, x, 100.0));
        }
        p
    }

    #[test]
    fn a_full_grid_gives_one_cell_per_unit() {
        let g = build(&full_grid());
        assert_eq!(g.len(), 1);
        let g = &g[0];
        assert_eq!((g.xs.len(), g.ys.len(), g.cells.len()), (3, 4, 6));
        assert!(g.cells.iter().all(|c| c.rows == 1 && c.cols == 1));
        assert!(!g.open_top.contains(&true) && !g.open_bottom.contains(&true));
        assert_eq!(g.cell_at(75.0, 90.0), Some(1));
        assert_eq!(g.cell_at(25.0, 50.0), Some(4));
        assert_eq!(g.cell_at(125.0, 50.0), None);
    }

    #[test]
    fn missing_inner_borders_make_spans() {
        let mut p = full_grid();
        // Remove the vertical middle line and replace it by one covering only the bottom row:
        // the top two rows' cells span both columns... and drop the horizontal at y 80 on the
        // left half so the left column's first two units merge downwards too.
        p.retain(|l| !(l.x0 == 50.0 && l.x1 == 50.0));
        p.push(line(50.0, 40.0, 50.0, 60.0));
        let g = &build(&p)[0];
        let spans: Vec<(u32, u32, u32, u32)> = g
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.rows, c.cols))
            .collect();
        assert_eq!(
            spans,
            vec![(0, 0, 1, 2), (1, 0, 1, 2), (2, 0, 1, 1), (2, 1, 1, 1)]
        );
        let mut p = full_grid();
        p.retain(|l| !(l.y0 == 80.0 && l.y1 == 80.0));
        p.push(line(50.0, 80.0, 100.0, 80.0));
        let g = &build(&p)[0];
        let spans: Vec<(u32, u32, u32, u32)> = g
            .cells
            .iter()
            .map(|c| (c.row, c.col, c.rows, c.cols))
            .collect();
        assert_eq!(spans[0], (0, 0, 2, 1));
        assert_eq!(g.cells.len(), 5);
        assert_eq!(g.cell_at(10.0, 70.0), Some(0));
    }

    #[test]
    fn chromium_boxes_a_hair_apart_share_rulings() {
        // Each cell its own rectangle, 0.74 pt from its neighbours, as filled outlines.
        let mut p = Vec::new();
        for (r, y) in [(0, 100.0_f32), (1, 80.0)] {
            for (c, x) in [(0, 0.0_f32), (1, 50.0)] {
                let _ = (r, c);
                let (x0, x1) = (x + 0.37, x + 50.0 - 0.37);
                let (y1, y0) = (y - 0.37, y - 20.0 + 0.37);
                p.push(line(x0, y0, x1, y0));
                p.push(line(x0, y1, x1, y1));
                p.push(line(x0, y0, x0, y1));
                p.push(line(x1, y0, x1, y1));
            }
        }
        let g = build(&p);
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].xs.len(), g[0].ys.len(), g[0].cells.len()), (3, 3, 4));
    }

    /// Cells drawn as their own boxes `gap` apart inside an outer frame `gap` away, as HTML's
    /// `<table border="1">` prints: 2 × 2 cells of 50 × 20 pt.
    fn spaced_boxes(gap: f32) -> Vec<Piece> {
        let mut p = Vec::new();
        let step = |i: f32, size: f32| i * (size + gap) + gap;
        for r in [0.0, 1.0] {
            for c in [0.0, 1.0] {
                let (x0, y1) = (step(c, 50.0), 100.0 - step(r, 20.0));
                let (x1, y0) = (x0 + 50.0, y1 - 20.0);
                p.push(line(x0, y0, x1, y0));
                p.push(line(x0, y1, x1, y1));
                p.push(line(x0, y0, x0, y1));
                p.push(line(x1, y0, x1, y1));
            }
        }
        let (right, bottom) = (step(2.0, 50.0), 100.0 - step(2.0, 20.0));
        p.push(line(0.0, 100.0, right, 100.0));
        p.push(line(0.0, bottom, right, bottom));
        p.push(line(0.0, bottom, 0.0, 100.0));
        p.push(line(right, bottom, right, 100.0));
        p
    }

    #[test]
    fn boxes_with_cell_spacing_are_one_cell_each() {
        let g = build(&spaced_boxes(2.25));
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].xs.len(), g[0].ys.len(), g[0].cells.len()), (3, 3, 4));
        // Boxes 6 pt apart are not a spaced table: each stays its own frame.
        let g = build(&spaced_boxes(6.0));
        assert!(g.len() > 1 && g.iter().all(|g| g.cells.len() == 1));
    }

    #[test]
    fn a_column_boundary_that_moves_between_rows_stays_two_boundaries() {
        // Row 1 splits at x 50, row 2 at x 52: rulings one after the other, not side by side.
        let p = vec![
            line(0.0, 100.0, 100.0, 100.0),
            line(0.0, 80.0, 100.0, 80.0),
            line(0.0, 60.0, 100.0, 60.0),
            line(0.0, 60.0, 0.0, 100.0),
            line(100.0, 60.0, 100.0, 100.0),
            line(50.0, 80.0, 50.0, 100.0),
            line(52.0, 60.0, 52.0, 80.0),
        ];
        let g = build(&p);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].xs.len(), 4);
        assert_eq!(g[0].cells.len(), 4);
    }

    #[test]
    fn thin_fills_are_rulings_and_an_open_bottom_is_seen() {
        let fill = |x0, y0, x1, y1| Piece {
            x0,
            y0,
            x1,
            y1,
            stroked: false,
        };
        // Two rows; the bottom border is missing (the row goes on on the next page).
        let p = vec![
            fill(0.0, 99.75, 100.0, 100.25),
            fill(0.0, 79.75, 100.0, 80.25),
            fill(-0.25, 60.0, 0.25, 100.0),
            fill(49.75, 60.0, 50.25, 100.0),
            fill(99.75, 60.0, 100.25, 100.0),
        ];
        let g = &build(&p)[0];
        assert_eq!(g.ys.len(), 3);
        assert_eq!(
            (g.open_bottom.clone(), g.open_top.clone()),
            (vec![true; 2], vec![false; 2])
        );
        assert_eq!(g.cells.len(), 4);
    }

    #[test]
    fn lone_lines_are_no_table() {
        assert!(build(&[line(0.0, 10.0, 100.0, 10.0)]).is_empty());
        assert!(build(&[]).is_empty());
        let nan = [line(f32::NAN, 0.0, 1.0, 0.0), line(0.0, f32::NAN, 0.0, 1.0)];
        assert!(build(&nan).is_empty());
    }
}
