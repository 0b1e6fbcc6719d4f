//! Files that appear under their final name only when complete.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A buffered file written as `.NAME.partial` and renamed to `NAME` by [`AtomicFile::commit`].
/// Dropped without commit (a failed or interrupted run), it leaves only the partial file, so a
/// file with a final name is never incomplete.
pub struct AtomicFile {
    writer: BufWriter<File>,
    partial: PathBuf,
    target: PathBuf,
}

impl AtomicFile {
    /// Create `dir/.NAME.partial`, truncating a leftover one.
    pub fn create(dir: &Path, name: &str) -> io::Result<AtomicFile> {
        let partial = dir.join(format!(".{name}.partial"));
        let target = dir.join(name);
        let file = File::create(&partial)?;
        Ok(AtomicFile {
            writer: BufWriter::with_capacity(256 * 1024, file),
            partial,
            target,
        })
    }

    /// Flush, sync to disk and rename to the final name.
    pub fn commit(self) -> io::Result<()> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&self.partial, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
