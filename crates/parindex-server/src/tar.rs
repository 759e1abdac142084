//! A minimal tar (ustar) writer: regular files only, enough for a round folder.

/// The archive of `files` (path, contents), each path at most 100 bytes (longer paths
/// use the ustar prefix field, up to 255).
pub fn archive(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (path, data) in files {
        out.extend_from_slice(&header(path, data.len()));
        out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

fn put(block: &mut [u8; 512], at: usize, bytes: &[u8]) {
    for (i, b) in bytes.iter().enumerate() {
        if let Some(slot) = block.get_mut(at + i) {
            *slot = *b;
        }
    }
}

fn octal(value: u64, width: usize) -> Vec<u8> {
    let mut s = format!("{value:0w$o}", w = width - 1).into_bytes();
    s.push(0);
    s
}

fn header(path: &str, size: usize) -> [u8; 512] {
    let mut h = [0u8; 512];
    let bytes = path.as_bytes();
    let (prefix, name) = if bytes.len() <= 100 {
        (&[][..], bytes)
    } else {
        // Split at a '/' so that the name fits in 100 bytes and the prefix in 155.
        let split = path
            .char_indices()
            .filter(|(i, c)| *c == '/' && bytes.len() - i - 1 <= 100 && *i <= 155)
            .map(|(i, _)| i)
            .next()
            .unwrap_or(0);
        (bytes.get(..split).unwrap_or_default(), bytes.get(split + 1..).unwrap_or_default())
    };
    put(&mut h, 0, name);
    put(&mut h, 100, &octal(0o644, 8));
    put(&mut h, 108, &octal(0, 8));
    put(&mut h, 116, &octal(0, 8));
    put(&mut h, 124, &octal(size as u64, 12));
    put(&mut h, 136, &octal(0, 12));
    put(&mut h, 148, b"        ");
    put(&mut h, 156, b"0");
    put(&mut h, 257, b"ustar\x0000");
    put(&mut h, 345, prefix);
    let sum: u64 = h.iter().map(|b| u64::from(*b)).sum();
    put(&mut h, 148, &format!("{sum:06o}\0 ").into_bytes());
    h
}

/// Reads an archive written by [`archive`] back into (path, contents): for tests and for
/// anyone who wants to check an export without `tar`.
pub fn read(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(h) = bytes.get(at..at + 512) {
        if h.iter().all(|b| *b == 0) {
            break;
        }
        let field = |from: usize, to: usize| -> String {
            let f = h.get(from..to).unwrap_or_default();
            let end = f.iter().position(|b| *b == 0).unwrap_or(f.len());
            String::from_utf8_lossy(f.get(..end).unwrap_or_default()).into_owned()
        };
        let name = field(0, 100);
        let prefix = field(345, 500);
        let size = usize::from_str_radix(field(124, 136).trim(), 8).unwrap_or(0);
        let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        let data = bytes.get(at + 512..at + 512 + size).unwrap_or_default().to_vec();
        out.push((path, data));
        at += 512 + size.div_ceil(512) * 512;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_short_and_long_paths() {
        let long = format!("{}/{}", "d".repeat(120), "f.json");
        let files = vec![("r/round.json".to_owned(), b"{}".to_vec()), (long, vec![b'x'; 700])];
        let bytes = archive(&files);
        assert_eq!(bytes.len() % 512, 0);
        assert_eq!(read(&bytes), files);
    }
}
