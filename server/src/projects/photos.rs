//! Defect photos: what a phone's camera sends (JPEG or PNG, base64) is decoded, turned
//! upright, shrunk to a size a screen needs and re-encoded as JPEG, which leaves every
//! metadata block (EXIF with GPS position and device, XMP, comments) behind. Files live in
//! `<QM_DATA_DIR>/photos`, named by a random id; they are served only through addresses
//! signed for whoever may see them (see `http::photos`).

use base64::Engine;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use model::defect::MAX_PHOTO_BYTES;
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Long side of a stored photo: enough to see a crack on a laptop screen.
pub const MAX_SIDE: u32 = 2048;
/// Beyond this a picture is a decompression bomb, not a phone photo (a 50-megapixel
/// camera makes 8,160 × 6,120).
const MAX_DECODED_SIDE: u32 = 8_192;
/// Memory one decode may take: a 8,192² RGB picture and the copies turning and shrinking it.
const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PhotoError {
    #[error("not a JPEG or PNG picture")]
    NotAPicture,
    #[error("larger than {MAX_PHOTO_BYTES} bytes")]
    TooLarge,
}

/// A photo made ready to store: its id and the JPEG bytes without metadata.
pub struct CleanPhoto {
    pub id: String,
    pub jpeg: Vec<u8>,
}

/// Decodes and re-encodes one photo. CPU-bound: call it off the async threads.
pub fn clean(base64_text: &str) -> Result<CleanPhoto, PhotoError> {
    let text = base64_text
        .split_once("base64,")
        .map_or(base64_text, |(_, data)| data);
    if model::defect::base64_len(text) > MAX_PHOTO_BYTES + 3 {
        return Err(PhotoError::TooLarge);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| PhotoError::NotAPicture)?;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| PhotoError::NotAPicture)?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png)) {
        return Err(PhotoError::NotAPicture);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::NotAPicture)?;
    // The EXIF orientation is applied before EXIF is dropped, or phone photos lie sideways.
    let orientation = decoder.orientation().map_err(|_| PhotoError::NotAPicture)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::NotAPicture)?;
    picture.apply_orientation(orientation);
    if picture.width().max(picture.height()) > MAX_SIDE {
        picture = picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 82)
        .encode_image(&picture.to_rgb8())
        .map_err(|_| PhotoError::NotAPicture)?;
    Ok(CleanPhoto {
        id: random_id(),
        jpeg,
    })
}

fn random_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `id` is one [`clean`] could have made (so it never names another path).
pub fn valid_id(id: &str) -> bool {
    id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The folder of photo files.
#[derive(Debug, Clone)]
pub struct PhotoFolder {
    dir: PathBuf,
}

impl PhotoFolder {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn path(&self, id: &str) -> Option<PathBuf> {
        valid_id(id).then(|| self.dir.join(format!("{id}.jpg")))
    }

    /// Writes the photos; on any failure none of them stays.
    pub async fn write(&self, photos: &[CleanPhoto]) -> std::io::Result<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        for (i, p) in photos.iter().enumerate() {
            if let Err(e) = write_new(&self.dir, p).await {
                self.remove(photos[..i].iter().map(|p| p.id.as_str())).await;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Removes photo files (of a write that did not happen after all).
    pub async fn remove<'a>(&self, ids: impl Iterator<Item = &'a str>) {
        for id in ids {
            if let Some(path) = self.path(id) {
                let _ = tokio::fs::remove_file(path).await;
            }
        }
    }
}

async fn write_new(dir: &Path, photo: &CleanPhoto) -> std::io::Result<()> {
    tokio::fs::write(dir.join(format!("{}.jpg", photo.id)), &photo.jpeg).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(picture: &DynamicImage, format: ImageFormat) -> String {
        let mut bytes = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        base64::engine::general_purpose::STANDARD.encode(bytes)
    }

    #[test]
    fn a_png_comes_back_as_a_jpeg_of_the_same_size() {
        let picture = DynamicImage::new_rgb8(40, 30);
        let clean = clean(&encoded(&picture, ImageFormat::Png)).unwrap();
        let back = image::load_from_memory(&clean.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (40, 30));
        assert!(valid_id(&clean.id));
    }

    #[test]
    fn anything_but_a_picture_is_refused() {
        let text = base64::engine::general_purpose::STANDARD.encode(b"<svg onload=alert(1)>");
        assert_eq!(clean(&text).err(), Some(PhotoError::NotAPicture));
        assert_eq!(
            clean("not base64 at all!").err(),
            Some(PhotoError::NotAPicture)
        );
        let gif = base64::engine::general_purpose::STANDARD
            .encode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
        assert_eq!(clean(&gif).err(), Some(PhotoError::NotAPicture));
    }

    #[test]
    fn ids_never_name_another_path() {
        assert!(!valid_id("../../secret.key"));
        assert!(!valid_id("ABCDEF0123456789ABCDEF0123456789"));
        assert!(PhotoFolder::new("x").path("../x").is_none());
    }
}
