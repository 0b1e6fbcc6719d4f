//! The only module that talks to hayro-interpret: it opens a PDF and hands back, per page, the
//! glyphs (Unicode text, baseline position, advance, size) and the straight axis-aligned
//! pieces of every stroked or filled path, in page coordinates (points, y up).
//!
//! Coordinates are PDF user space for an unrotated page. A page with `/Rotate` is read in its
//! displayed orientation: the rotation is applied here (our own affine, not hayro's
//! `initial_transform`, which mishandled a `/Rotate 90` copy), so coordinates are relative to
//! the crop box's lower-left corner as displayed, still y up.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_syntax::page::Rotation;
use hayro_interpret::hayro_syntax::{DecryptionError, LoadPdfError, Pdf};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Shape};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask,
};

/// How far from exactly horizontal or vertical (in points, over a segment) a straight path
/// piece may lean and still count as a ruling: PDF producers round coordinates to 0.01 pt or
/// so, and anything that leans more than this is a drawing, not a table border.
const AXIS_TOLERANCE: f64 = 0.5;

/// How long (points, along each axis) a slanted edge of a filled outline may be and the
/// outline still count as a rectangle: a browser draws each side of an `inset`/`outset`
/// border (HTML's `<table border="1">`) in its own colour, as a trapezoid whose mitred ends
/// are one border width long.
const MITRE_MAX: f64 = 3.0;

/// One glyph as drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Glyph {
    /// Its Unicode text (a glyph mapping to several characters is split into several glyphs
    /// sharing its advance).
    pub ch: char,
    /// Left edge (the pen position).
    pub x0: f32,
    /// Right edge (pen position plus advance).
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    /// Font size on the page (the em height), in points.
    pub size: f32,
}

/// A straight, axis-aligned piece of a path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Piece {
    /// The piece's extent (a stroked line has zero width or height; a filled rectangle has
    /// both).
    pub x0: f32,
    /// Bottom.
    pub y0: f32,
    /// Right.
    pub x1: f32,
    /// Top.
    pub y1: f32,
    /// Stroked (a line) or filled (a rectangle).
    pub stroked: bool,
}

/// What one page gave.
#[derive(Debug, Default)]
pub(crate) struct RawPage {
    /// Displayed width in points.
    pub width: f32,
    /// Displayed height in points.
    pub height: f32,
    /// Glyphs in content-stream order.
    pub glyphs: Vec<Glyph>,
    /// Straight axis-aligned path pieces.
    pub pieces: Vec<Piece>,
    /// Images drawn (a page with images and no glyphs is a scan).
    pub images: u32,
}

/// Why opening or interpreting failed.
#[derive(Debug)]
pub(crate) enum InterpError {
    /// hayro could not parse the file.
    Invalid,
    /// Password-protected (a non-empty user password) or an encryption hayro does not do.
    Encrypted(&'static str),
    /// hayro panicked: a bug there, caught (`page` is 1-based, 0 while opening).
    Panicked(u32),
    /// A page drew more glyphs than allowed.
    TooManyGlyphs(u32),
    /// A page drew more paths than allowed.
    TooManyPaths(u32),
    /// More pages than allowed.
    TooManyPages(usize),
}

/// Caps enforced while interpreting.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Caps {
    pub max_pages: usize,
    pub max_glyphs: usize,
    pub max_paths: usize,
}

/// Open `bytes` and interpret every page.
pub(crate) fn pages(bytes: &[u8], caps: Caps) -> Result<Vec<RawPage>, InterpError> {
    let data = Arc::new(bytes.to_vec());
    let pdf = catch_unwind(AssertUnwindSafe(|| Pdf::new(data)))
        .map_err(|_| InterpError::Panicked(0))?
        .map_err(|e| match e {
            LoadPdfError::Invalid => InterpError::Invalid,
            LoadPdfError::Decryption(d) => InterpError::Encrypted(match d {
                DecryptionError::MissingIDEntry => "encrypted, but the ID entry is missing",
                DecryptionError::PasswordProtected => "password-protected",
                DecryptionError::InvalidEncryption => "invalid encryption dictionary",
                DecryptionError::UnsupportedAlgorithm => "unsupported encryption algorithm",
            }),
        })?;
    let count = catch_unwind(AssertUnwindSafe(|| pdf.pages().len()))
        .map_err(|_| InterpError::Panicked(0))?;
    if count > caps.max_pages {
        return Err(InterpError::TooManyPages(count));
    }
    // One cache for the whole document: hayro keys fonts (and their ToUnicode CMaps) by
    // object, so a font shared by every page is parsed once, not once per page. Parsing the
    // embedded Type 1 subsets again on every page was 78% of all instructions on seed.pdf.
    // After a caught panic nothing more is read, so a cache left half-updated is never used.
    let cache = InterpreterCache::new();
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let number = u32::try_from(index).unwrap_or(u32::MAX).saturating_add(1);
        let page = catch_unwind(AssertUnwindSafe(|| one_page(&pdf, &cache, index, caps)))
            .map_err(|_| InterpError::Panicked(number))?;
        let (page, over_glyphs, over_paths) = page;
        if over_glyphs {
            return Err(InterpError::TooManyGlyphs(number));
        }
        if over_paths {
            return Err(InterpError::TooManyPaths(number));
        }
        out.push(page);
    }
    Ok(out)
}

/// The page transform: identity (PDF user space) for an unrotated page, else the rotation
/// into the displayed orientation, relative to the crop box. Returns it with the displayed
/// width and height.
fn page_transform(rotation: Rotation, crop: Rect) -> (Affine, f64, f64) {
    let (w, h) = (crop.width().abs(), crop.height().abs());
    let (cx0, cy0, cx1, cy1) = (crop.x0, crop.y0, crop.x1, crop.y1);
    match rotation {
        Rotation::None => (Affine::IDENTITY, w, h),
        // 90° clockwise: the left edge goes to the top; x' = y - cy0, y' = cx1 - x.
        Rotation::Horizontal => (Affine::new([0.0, -1.0, 1.0, 0.0, -cy0, cx1]), h, w),
        Rotation::Flipped => (Affine::new([-1.0, 0.0, 0.0, -1.0, cx1, cy1]), w, h),
        // 270° clockwise: x' = cy1 - y, y' = x - cx0.
        Rotation::FlippedHorizontal => (Affine::new([0.0, 1.0, -1.0, 0.0, cy1, -cx0]), h, w),
    }
}

fn one_page<'a>(
    pdf: &'a Pdf,
    cache: &InterpreterCache<'a>,
    index: usize,
    caps: Caps,
) -> (RawPage, bool, bool) {
    let mut dev = Collector {
        page: RawPage::default(),
        clips: Vec::new(),
        caps,
        paths: 0,
        over_glyphs: false,
        over_paths: false,
    };
    let Some(page) = pdf.pages().get(index) else {
        return (dev.page, false, false);
    };
    let crop = page.intersected_crop_box();
    let crop = Rect::new(crop.x0, crop.y0, crop.x1, crop.y1);
    let (transform, w, h) = page_transform(page.rotation(), crop);
    dev.page.width = w as f32;
    dev.page.height = h as f32;
    let settings = InterpreterSettings::default();
    let bbox = transform.transform_rect_bbox(crop);
    let mut ctx = Context::new(transform, bbox, cache, pdf.xref(), settings);
    hayro_interpret::interpret_page(page, &mut ctx, &mut dev);
    (dev.page, dev.over_glyphs, dev.over_paths)
}

struct Collector {
    page: RawPage,
    /// Bounding boxes of the clip paths in force (intersected): what lies outside is not
    /// on the page (Chromium draws table borders past the page margins and clips them).
    clips: Vec<Rect>,
    caps: Caps,
    paths: usize,
    over_glyphs: bool,
    over_paths: bool,
}

fn finite(p: Point) -> bool {
    p.x.is_finite() && p.y.is_finite()
}

impl Collector {
    fn clip(&self) -> Option<Rect> {
        self.clips.last().copied()
    }

    fn push_clip(&mut self, r: Rect) {
        let r = match self.clip() {
            Some(c) => c.intersect(r),
            None => r,
        };
        self.clips.push(r);
    }

    /// Add a piece, cut to the clip; dropped when nothing of it is visible.
    fn piece(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, stroked: bool) {
        let (mut x0, mut y0, mut x1, mut y1) = (x0, y0, x1, y1);
        if let Some(c) = self.clip() {
            // A stroke is a zero-width box: compare with a little slack so that a border
            // drawn exactly on the clip edge survives.
            const SLACK: f64 = 0.5;
            if x1 < c.x0 - SLACK || x0 > c.x1 + SLACK || y1 < c.y0 - SLACK || y0 > c.y1 + SLACK {
                return;
            }
            x0 = x0.max(c.x0);
            y0 = y0.max(c.y0);
            x1 = x1.min(c.x1).max(x0);
            y1 = y1.min(c.y1).max(y0);
            if !stroked && (x1 - x0 <= 0.0 || y1 - y0 <= 0.0) {
                return;
            }
        }
        self.page.pieces.push(Piece {
            x0: x0 as f32,
            y0: y0 as f32,
            x1: x1 as f32,
            y1: y1 as f32,
            stroked,
        });
    }

    fn glyphs(&mut self, run: &GlyphRun<'_, '_>, props: &DrawProps<'_>) {
        for g in run.glyphs() {
            if self.page.glyphs.len() >= self.caps.max_glyphs {
                self.over_glyphs = true;
                return;
            }
            let Some(text) = g.as_unicode() else {
                continue;
            };
            let t = props.transform * g.transform();
            let origin = t * Point::ZERO;
            let up = t * Point::new(0.0, 1000.0);
            let advance = match &**g {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro_interpret::font::Glyph::Type3(t3) => t3.advance_width(),
            }
            .filter(|a| a.is_finite() && *a > 0.0)
            .unwrap_or(500.0);
            let end = t * Point::new(f64::from(advance), 0.0);
            if !(finite(origin) && finite(up) && finite(end)) {
                continue;
            }
            if let Some(c) = self.clip() {
                if !c.contains(origin) {
                    continue;
                }
            }
            let size = (up - origin).hypot();
            // Upright text: the em vector points up. Anything else gets its bounding box
            // (bottom as baseline), which is enough to place it in a cell.
            let (x0, x1, y) = if (up.x - origin.x).abs() < size * 0.1 && up.y > origin.y {
                (origin.x, end.x.max(origin.x), origin.y)
            } else {
                let xs = [origin.x, up.x, end.x];
                let ys = [origin.y, up.y, end.y];
                let min = |v: [f64; 3]| v.iter().copied().fold(f64::INFINITY, f64::min);
                let max = |v: [f64; 3]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                (min(xs), max(xs), min(ys))
            };
            // Nearly every glyph maps to one character: no Vec for it (an allocation per
            // glyph was a tenth of this function's instructions).
            match &text {
                hayro_interpret::hayro_cmap::BfString::Char(c) => {
                    self.split(std::iter::once(*c), 1, x0, x1, y, size);
                }
                hayro_interpret::hayro_cmap::BfString::String(s) => {
                    self.split(s.chars(), s.chars().count(), x0, x1, y, size);
                }
            }
        }
    }

    /// One glyph's `n` characters, sharing its advance from `x0` to `x1` in equal steps.
    fn split(
        &mut self,
        chars: impl Iterator<Item = char>,
        n: usize,
        x0: f64,
        x1: f64,
        y: f64,
        size: f64,
    ) {
        let step = (x1 - x0) / n.max(1) as f64;
        for (i, ch) in chars.enumerate() {
            let a = x0 + step * i as f64;
            self.page.glyphs.push(Glyph {
                ch,
                x0: a as f32,
                x1: (a + step) as f32,
                y: y as f32,
                size: size as f32,
            });
        }
    }

    fn path(&mut self, path: &BezPath, transform: Affine, mode: &DrawMode) {
        let (fill, stroke) = match mode {
            DrawMode::Fill(_) => (true, false),
            DrawMode::Stroke(_) => (false, true),
            DrawMode::FillAndStroke(..) => (true, true),
            DrawMode::Invisible => return,
        };
        self.paths += 1;
        if self.paths > self.caps.max_paths {
            self.over_paths = true;
            return;
        }
        let path = transform * path.clone();
        // Walk sub-paths: straight axis-aligned segments (for strokes), and whether the
        // sub-path is a rectangle (for fills).
        let mut start = Point::ZERO;
        let mut last = Point::ZERO;
        let mut pts: Vec<Point> = Vec::new();
        let mut straight = true;
        let mut rects: Vec<Rect> = Vec::new();
        let flush = |pts: &mut Vec<Point>, straight: bool, rects: &mut Vec<Rect>| {
            if fill && straight && pts.len() >= 4 {
                if let Some(r) = as_rect(pts) {
                    rects.push(r);
                }
            }
            pts.clear();
        };
        for el in path.elements() {
            match *el {
                PathEl::MoveTo(p) => {
                    flush(&mut pts, straight, &mut rects);
                    straight = true;
                    start = p;
                    last = p;
                    pts.push(p);
                }
                PathEl::LineTo(p) => {
                    if stroke {
                        self.segment(last, p);
                    }
                    last = p;
                    pts.push(p);
                }
                PathEl::ClosePath => {
                    if stroke {
                        self.segment(last, start);
                    }
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    straight = false;
                    last = p;
                }
            }
        }
        flush(&mut pts, straight, &mut rects);
        for r in rects {
            self.piece(r.x0, r.y0, r.x1, r.y1, false);
        }
    }

    fn segment(&mut self, a: Point, b: Point) {
        if !(finite(a) && finite(b)) {
            return;
        }
        let horizontal = (a.y - b.y).abs() <= AXIS_TOLERANCE;
        let vertical = (a.x - b.x).abs() <= AXIS_TOLERANCE;
        if horizontal == vertical {
            return; // a point, or a slanted line
        }
        self.piece(a.x.min(b.x), a.y.min(b.y), a.x.max(b.x), a.y.max(b.y), true);
    }
}

/// The rectangle a closed straight sub-path outlines (its bounding box), if its edges are
/// axis-aligned but for mitred corners no longer than [`MITRE_MAX`] (a border side drawn as
/// a trapezoid).
fn as_rect(pts: &[Point]) -> Option<Rect> {
    let mut r = Rect::new(
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let closing = pts.first().zip(pts.last()).map(|(a, b)| [*b, *a]);
    let edges = pts
        .windows(2)
        .filter_map(|w| Some([*w.first()?, *w.get(1)?]));
    for [a, b] in edges.chain(closing) {
        let (dx, dy) = ((a.x - b.x).abs(), (a.y - b.y).abs());
        let leaning = dx > AXIS_TOLERANCE && dy > AXIS_TOLERANCE;
        if leaning && (dx > MITRE_MAX || dy > MITRE_MAX) {
            return None;
        }
    }
    for p in pts {
        if !finite(*p) {
            return None;
        }
        r = r.union_pt(*p);
    }
    (r.width() > 0.0 && r.height() > 0.0).then_some(r)
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        self.path(path, props.transform, draw_mode);
    }
    fn push_clip_path(&mut self, clip: &ClipPath) {
        let b = clip.path.bounding_box();
        if finite(Point::new(b.x0, b.y0)) && finite(Point::new(b.x1, b.y1)) {
            self.push_clip(b);
        } else {
            self.push_clip(self.clip().unwrap_or(b));
        }
    }
    fn push_clip_rect(&mut self, rect: &Rect) {
        self.push_clip(*rect);
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        self.glyphs(run, &props);
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.page.images = self.page.images.saturating_add(1);
    }
    fn pop_clip(&mut self) {
        self.clips.pop();
    }
    fn pop_transparency_group(&mut self) {}
}
