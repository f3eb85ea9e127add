// sqlx embeds the migrations at compile time; without this a changed migration would not rebuild the store.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
