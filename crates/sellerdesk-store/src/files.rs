//! Files and folders only their owner may read: the data directory, the database, the settings.
//! A seller's coupons, codes and buyers' refunds are nobody else's business on a shared machine.

use std::io;
use std::path::Path;

/// Creates `folder` and any missing parents, each new one readable by its owner alone (0700 on
/// Unix). A folder that already exists keeps its permissions: the seller may have chosen them.
pub fn create_private_folder(folder: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(folder)
}

/// Creates an empty `file` readable by its owner alone (0600 on Unix) if it does not exist yet;
/// an existing file is left as it is.
pub fn create_private_file(file: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}
