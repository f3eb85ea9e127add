//! Checks other crates' tests share with the domain's: enabled by the `testing` feature (a dev-dependency's), so
//! the store pins its enums' stored names with the same rule the domain pins its own.

use std::fmt::Debug;
use std::str::FromStr;

use serde::Serialize;

/// Each value is written as its name and read back from it, and serde (the API's and the journal's form)
/// agrees.
pub fn assert_stored_names<T>(names: &[(T, &str)])
where
    T: Copy + Debug + PartialEq + Serialize + FromStr,
    T::Err: Debug,
    &'static str: From<T>,
{
    for &(value, name) in names {
        assert_eq!(<&'static str>::from(value), name);
        assert_eq!(name.parse::<T>().unwrap(), value);
        assert_eq!(serde_json::to_value(value).unwrap(), name);
    }
}
