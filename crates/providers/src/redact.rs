//! User names and passwords out of every URL in a text. A base URL from `SHOWRUNNER_<PROVIDER>_BASE_URL` may
//! carry a credential (`https://user:token@proxy.example`); error messages name the URL they failed at, and
//! those messages are stored in the journal and shown in the app, so the credential is cut wherever a URL
//! appears.

/// `text` with the user-info part (`user:password@`) of every `scheme://…` URL removed. Every `://` starts an
/// authority, even one glued to the text before it, so no URL can hide behind another.
pub fn without_user_info(text: &str) -> String {
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for (found, _) in text.match_indices("://") {
        let start = found + 3;
        let after = &text[start..];
        // The authority ends at the path, query or fragment, or wherever the URL ends in prose.
        let end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>' | '`' | ')' | ']') || c.is_whitespace()
            })
            .unwrap_or(after.len());
        if let Some(at) = after[..end].rfind('@') {
            cuts.push((start, start + at + 1));
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in cuts {
        if end <= copied {
            continue;
        }
        out.push_str(&text[copied..start.max(copied)]);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn credentials_are_cut_from_every_url_and_the_rest_is_kept() {
        assert_eq!(
            without_user_info("Anthropic is unreachable at http://me:s3cret@127.0.0.1:9/v1. Check it."),
            "Anthropic is unreachable at http://127.0.0.1:9/v1. Check it."
        );
        assert_eq!(
            without_user_info("a https://tok@h/x and b http://u:p@q:1?x=1"),
            "a https://h/x and b http://q:1?x=1"
        );
        assert_eq!(without_user_info("mail me@example.com"), "mail me@example.com");
        assert_eq!(
            without_user_info("http://h/p@q"),
            "http://h/p@q",
            "an @ in the path is not user-info"
        );
    }

    proptest! {
        /// Whatever surrounds it, a password placed in a URL's user-info never survives, and text without
        /// `://` is returned unchanged.
        #[test]
        fn no_password_survives(
            before in "\\PC{0,20}",
            user in "[a-zA-Z0-9._~-]{0,12}",
            secret in "[a-zA-Z0-9]{12,24}",
            host in "[a-z0-9.-]{1,20}(:[0-9]{1,5})?",
            path in "(/[\\PC&&[^ ]]{0,20})?",
            after in "( \\PC{0,20})?",
        ) {
            let text = format!("{before}https://{user}:{secret}@{host}{path}{after}");
            let clean = without_user_info(&text);
            prop_assert!(!clean.contains(&format!(":{secret}@")), "{clean}");
            prop_assert!(clean.contains(&format!("https://{host}")), "{clean}");
        }

        #[test]
        fn text_without_urls_is_unchanged(text in "\\PC{0,80}") {
            prop_assume!(!text.contains("://"));
            prop_assert_eq!(without_user_info(&text), text);
        }
    }
}
