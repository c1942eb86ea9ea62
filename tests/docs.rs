//! The README shows the schema exactly as `secreg schema` prints it.

#[test]
fn readme_schema_is_what_secreg_schema_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- schema:start -->\n```\n")
        .expect("schema start marker")
        + "<!-- schema:start -->\n```\n".len();
    let end = readme
        .find("```\n<!-- schema:end -->")
        .expect("schema end marker");
    let printed = secreg::dataset::schema::describe_tables();
    assert_eq!(
        readme[start..end].trim_end(),
        printed.trim_end(),
        "regenerate the README schema with `secreg schema`"
    );
}
