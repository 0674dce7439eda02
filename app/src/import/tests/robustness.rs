//! Random and mutated inputs: the importer never panics and always answers Ok or a clear Err.

use super::*;

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const ALPHABET: &[u8] = b",;\t|\"\r\n \n,\"abcXYZ019.:/@-_#%=+()[]\xc3\xa9\xef\xbb\xbf\xff\xfe\x00\xe9\x80";

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(300);
    (0..len)
        .map(|_| if rng.below(4) == 0 { rng.next() as u8 } else { ALPHABET[rng.below(ALPHABET.len())] })
        .collect()
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(v.len() + 1);
        match rng.below(6) {
            0 if at < v.len() => v[at] = rng.next() as u8,
            1 => v.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            2 if at < v.len() => {
                v.remove(at);
            }
            3 => v.truncate(at),
            4 => {
                let chunk: Vec<u8> = v[at..].iter().take(rng.below(40)).copied().collect();
                let to = rng.below(v.len() + 1);
                v.splice(to..to, chunk);
            }
            _ => v.insert(at, b'"'),
        }
    }
    v
}

fn exercise(bytes: &[u8]) {
    let limits = Limits { max_bytes: 1 << 20, max_rows: 1_000 };
    match parse(bytes, &limits) {
        Ok(p) => {
            for r in &p.records {
                assert_eq!(r.cells.len(), p.headers.len());
            }
            assert_eq!(p.mapping.len(), p.headers.len());
            match build(&p, &p.mapping) {
                Ok(o) => assert!(o.companies.len() <= p.records.len()),
                Err(e) => assert_eq!(e, ImportError::NoNameOrWebsiteColumn),
            }
            // Any mapping at all, even a wrong-length one.
            let all_web: Vec<Option<Field>> = vec![Some(Field::Website); p.headers.len() + 1];
            let _ = build(&p, &all_web);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
    let text = String::from_utf8_lossy(bytes);
    let _ = parse_manual(&text);
    for line in text.lines().take(5) {
        let _ = normalize_website(line);
        let _ = parse_count(line);
        let _ = parse_money(line, true);
        let _ = parse_money(line, false);
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..2_000 {
        exercise(&random_bytes(&mut rng));
    }
}

#[test]
fn mutated_case_files_never_panic() {
    let files = [
        "cases/c01_utf8_bom_header.csv",
        "cases/c02a_semicolon_decimal_comma.csv",
        "cases/c03_utf16le_tab_excel_unicode_text.txt",
        "cases/c05_embedded_newlines_quotes.csv",
        "cases/c06_duplicate_headers.csv",
        "cases/c07_blank_rows.csv",
        "cases/c09_url_variants_dedupe.csv",
        "cases/c17_ssrf_websites.csv",
    ];
    let bases: Vec<Vec<u8>> = files.iter().map(|f| read_shared(f)).collect();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for i in 0..2_000 {
        let base = &bases[i % bases.len()];
        exercise(&mutate(&mut rng, base));
    }
}

/// Shapes that could make the work or the memory explode; each must answer quickly.
#[test]
fn pathological_shapes_stay_linear() {
    let t = std::time::Instant::now();
    let limits = Limits::default();

    // 2 MB of delimiters: all blank.
    let mut text = String::from("Company,Website\n");
    for _ in 0..20_000 {
        text.push_str(&",".repeat(99));
        text.push('\n');
    }
    let p = parse(text.as_bytes(), &limits);
    assert_eq!(p, Err(ImportError::NoRows), "a header and only blank rows");
    text.push_str("Acme,acme.example\n");
    let p = parse(text.as_bytes(), &limits).unwrap();
    assert_eq!((p.records.len(), p.blank_rows), (1, 20_000));

    // Excel's trailing empty columns: dropped, not padded.
    let pad = ",".repeat(100_000);
    let text = format!("Company,Website{pad}\nAcme,acme.example{pad}\nBeta,beta.example{pad}\n");
    let p = parse(text.as_bytes(), &limits).unwrap();
    assert_eq!(p.headers, strings(&["Company", "Website"]));
    assert_eq!(p.records[1].cells, strings(&["Beta", "beta.example"]));

    // Too many named columns.
    let header: Vec<String> = (0..5_000).map(|i| format!("c{i}")).collect();
    let text = format!("{}\n{}\n", header.join(","), header.join(","));
    assert_eq!(
        parse(text.as_bytes(), &limits),
        Err(ImportError::TooManyColumns { limit: MAX_COLUMNS, columns: 5_000 })
    );

    // A wide header over many short rows: refused before padding.
    let mut text = (0..1_500).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for i in 0..7_000 {
        text.push_str(&format!("x{i},{}\n", "y,".repeat(i % 3)));
    }
    assert_eq!(
        parse(text.as_bytes(), &limits),
        Err(ImportError::TooManyCells { limit: MAX_CELLS, rows: 7_000, columns: 1_500 })
    );

    // Quotes everywhere, one long line, many duplicate-looking headers.
    let quotes = "\"".repeat(300_001);
    let _ = parse(format!("Company\n{quotes}\n").as_bytes(), &limits);
    let _ = parse(format!("Company\n{}\n", "x".repeat(1 << 20)).as_bytes(), &limits);
    let dup_headers: Vec<String> = (0..1_900).map(|i| format!("Website ({i})")).collect();
    let text = format!("Website,{}\nx\n", dup_headers.join(","));
    let p = parse(text.as_bytes(), &limits).unwrap();
    assert_eq!(p.headers.len(), 1_901);
    let all_web = vec![Some(Field::Website); p.headers.len()];
    let _ = build(&p, &all_web);

    // Long rows of many cells above the header are not mapped cell by cell.
    let wide = vec!["x"; 400_000].join(",");
    let text = format!("{wide}\n{wide}\nCompany,Website\nAcme,acme.example\n");
    let _ = parse(text.as_bytes(), &limits);

    // One company on every row (a people export of one employer): merging stays linear.
    let mut text = String::from("Company,Website,Industry,First Name,Email,Note\n");
    for i in 0..30_000 {
        text.push_str(&format!("Acme,acme.example,,P{i},p{i}@acme.example,n{}\n", i % 50));
    }
    let p = parse(text.as_bytes(), &limits).unwrap();
    let o = build(&p, &p.mapping).unwrap();
    assert_eq!((o.companies.len(), o.merges[0].merged.len()), (1, 29_999));
    assert_eq!(o.companies[0].fields.len(), 2 + 2 * 30_000);
    // The row's 5 cells, each merged contact's 2, and the 49 other notes.
    assert_eq!(o.companies[0].attributes.len(), 5 + 2 * 29_999 + 49);

    assert!(t.elapsed() < std::time::Duration::from_secs(20), "{:?}", t.elapsed());
}
