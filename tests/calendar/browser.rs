//! The HTML page as a browser draws it: Debian's Chromium, headless and offline, takes a
//! screenshot (decoded and looked at) and dumps the DOM after rendering.
//!
//! Chromium is run in its own process group with a fresh profile and killed, group and
//! all, if it has not finished in time: CI must never hang on a browser.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::write_page;

const CHROMIUM: &str = "/usr/bin/chromium";
/// Far beyond what a render takes; only a hung browser reaches it.
const GIVE_UP_AFTER: Duration = Duration::from_secs(90);
const WIDTH: u32 = 1400;
const HEIGHT: u32 = 1400;

/// Every campaign of the example workspace, and the colour the page gives it (name order).
const CAMPAIGNS: [(&str, [u8; 3]); 8] = [
    ("checkin-reminder", [0x4e, 0x79, 0xa7]),
    ("coupon-sync", [0xf2, 0x8e, 0x2b]),
    ("double-twelve-sale", [0xe1, 0x57, 0x59]),
    ("new-version-launch", [0x59, 0xa1, 0x4f]),
    ("order-shipped-notice", [0xb0, 0x7a, 0xa1]),
    ("vip-early-access", [0x76, 0xb7, 0xb2]),
    ("weekly-digest", [0xed, 0xc9, 0x48]),
    ("welcome-back-dec", [0xff, 0x9d, 0xa7]),
];
/// The one campaign with no send in the window (its only one is in January).
const SILENT: &str = "new-version-launch";

#[test]
fn calendar_page_renders_in_chromium_with_every_campaign() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let (page, _) = write_page(folder.path());
    let screenshot = folder.path().join("calendar.png");
    let run = chromium(
        folder.path(),
        &[&format!("--screenshot={}", screenshot.display())],
        &page,
    );
    assert!(
        run.finished,
        "Chromium did not finish in time:\n{}",
        run.stderr
    );
    let pixels = decode_png(&screenshot);
    let distinct: std::collections::HashSet<[u8; 3]> = pixels.iter().copied().collect();
    assert!(
        distinct.len() > 16,
        "the screenshot is (nearly) blank: {} colour(s)",
        distinct.len()
    );
    for (name, colour) in CAMPAIGNS {
        let painted = pixels.iter().filter(|p| close(**p, colour)).count();
        // The legend's swatch is 12×12; a send's mark adds 11×14 more.
        let least = if name == SILENT { 100 } else { 200 };
        assert!(
            painted >= least,
            "`{name}`'s colour covers {painted} pixel(s), expected at least {least}"
        );
    }

    let dump = chromium(folder.path(), &["--dump-dom"], &page);
    assert!(
        dump.finished,
        "Chromium did not finish in time:\n{}",
        dump.stderr
    );
    let dom = dump.stdout;
    let svg = dom
        .split_once("<svg")
        .and_then(|(_, rest)| rest.split_once("</svg>"))
        .map(|(svg, _)| svg)
        .unwrap_or_else(|| panic!("no rendered <svg> in the DOM:\n{dom}"));
    for (name, _) in CAMPAIGNS {
        assert!(
            dom.contains(&format!("data-campaign=\"{name}\"><span class=\"swatch\"")),
            "`{name}` is not in the rendered legend"
        );
        let marked = svg.contains(&format!("class=\"send\" data-campaign=\"{name}\""));
        assert_eq!(marked, name != SILENT, "`{name}` in the grid: {marked}");
    }
    assert!(dom.contains("<title>weekly-digest: Fri 2040-11-30 20:00 Asia/Shanghai</title>"));
}

/// The side of one probe cell, and its glyph's size, in CSS pixels (the screenshot's too).
const CELL: u32 = 48;
const GLYPH: u32 = 36;

/// Chinese text in the page (the example's audiences name 浙江, 上海 and an alias 会员_10003)
/// must be drawn in a font that has it, not as tofu: the boxes a browser draws for a
/// character no font on the machine covers, one like the other. The page's own font stack
/// decides which font draws it; so the page itself, with its distinct Chinese characters
/// repeated large in a row of cells at its top left (inheriting its font), is rendered, and
/// every cell must differ from every other and from an empty one. On a machine without a
/// CJK font the cells are identical boxes and this fails (`scripts/setup-test-tools`
/// installs WenQuanYi Micro Hei).
#[test]
fn calendar_page_draws_chinese_text_in_a_font_not_as_boxes() {
    let folder = tempfile::tempdir().expect("a temp folder");
    let (page, _) = write_page(folder.path());
    let html = std::fs::read_to_string(&page).expect("the page reads");
    let chinese = distinct_chinese(&html);
    assert!(
        chinese.len() >= 4,
        "the example's page should show Chinese text; it has {chinese:?}"
    );
    let probe = folder.path().join("probe.html");
    std::fs::write(&probe, with_probe(&html, &chinese)).expect("the probe page is written");
    let screenshot = folder.path().join("probe.png");
    let run = chromium(
        folder.path(),
        &[&format!("--screenshot={}", screenshot.display())],
        &probe,
    );
    assert!(
        run.finished,
        "Chromium did not finish in time:\n{}",
        run.stderr
    );
    let pixels = decode_png(&screenshot);
    let cells: Vec<Vec<[u8; 3]>> = (0..=chinese.len())
        .map(|index| cell(&pixels, index))
        .collect();
    let (empty, drawn) = cells.split_last().expect("an empty cell last");
    for (glyph, pixels) in chinese.iter().zip(drawn) {
        assert!(
            pixels != empty,
            "`{glyph}` drew nothing; is the probe where the test looks?"
        );
    }
    let shapes: std::collections::HashSet<&Vec<[u8; 3]>> = drawn.iter().collect();
    assert_eq!(
        shapes.len(),
        chinese.len(),
        "{} distinct Chinese characters ({}) drew only {} distinct shape(s): the page's font \
         stack found no font with Chinese glyphs, so readers on such a machine see boxes. \
         Run `scripts/setup-test-tools` to install one (fonts-wqy-microhei)",
        chinese.len(),
        chinese.iter().collect::<String>(),
        shapes.len()
    );
}

/// The distinct CJK ideographs of the page's text, in order of appearance.
fn distinct_chinese(html: &str) -> Vec<char> {
    let body = html.split_once("<body>").map_or(html, |(_, body)| body);
    let mut seen = Vec::new();
    for c in body
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
    {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen
}

/// The page with a row of cells at its top left, one per character and an empty one last,
/// each character large, black on white, in the font the page gives its body.
fn with_probe(html: &str, chinese: &[char]) -> String {
    let cells: String = chinese
        .iter()
        .map(|c| format!("<span class=\"probe\">{c}</span>"))
        .chain(std::iter::once("<span class=\"probe\"></span>".to_owned()))
        .collect();
    let probe = format!(
        "<style>#probe {{ position: fixed; left: 0; top: 0; z-index: 9; display: flex; \
         background: #fff; }} #probe .probe {{ display: block; width: {CELL}px; \
         height: {CELL}px; font-size: {GLYPH}px; line-height: {CELL}px; text-align: center; \
         color: #000; overflow: hidden; }}</style><div id=\"probe\">{cells}</div>"
    );
    html.replacen("<body>", &format!("<body>{probe}"), 1)
}

/// The pixels of probe cell `index`, row by row.
fn cell(pixels: &[[u8; 3]], index: usize) -> Vec<[u8; 3]> {
    let left = index as u32 * CELL;
    (0..CELL)
        .flat_map(|y| (left..left + CELL).map(move |x| (y * WIDTH + x) as usize))
        .map(|at| pixels[at])
        .collect()
}

/// What a Chromium run printed, and whether it ended by itself.
pub(crate) struct BrowserRun {
    pub(crate) finished: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn chromium(folder: &Path, extra: &[&str], page: &Path) -> BrowserRun {
    assert!(
        Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: run `scripts/setup-test-tools` to install Debian's chromium"
    );
    let profile = tempfile::tempdir_in(folder).expect("a profile folder");
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("--window-size={WIDTH},{HEIGHT}"),
        ])
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .expect("chromium starts");
    let group = child.id() as i32;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + GIVE_UP_AFTER;
    let mut finished = false;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            finished = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The browser's helpers share its group: end them all, whether it finished or hung.
    // SAFETY: kill(2) on a process group this test created; no memory is involved.
    unsafe {
        libc::kill(-group, libc::SIGKILL);
    }
    let _ = child.wait();
    BrowserRun {
        finished,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

fn drain(stream: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut stream) = stream {
            let _ = stream.read_to_string(&mut text);
        }
        text
    })
}

/// The screenshot's pixels as RGB, after checking it is a PNG of the window's size.
pub(crate) fn decode_png(path: &Path) -> Vec<[u8; 3]> {
    let file = std::fs::File::open(path).expect("Chromium wrote the screenshot");
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("the screenshot is a PNG");
    let mut buffer = vec![0; reader.output_buffer_size().expect("a sane size")];
    let info = reader.next_frame(&mut buffer).expect("the PNG decodes");
    assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("unexpected colour type {other:?}"),
    };
    buffer
        .get(..info.buffer_size())
        .unwrap_or_default()
        .chunks_exact(channels)
        .map(|px| [px[0], px[1], px[2]])
        .collect()
}

pub(crate) fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}
