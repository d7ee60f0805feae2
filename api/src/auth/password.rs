//! Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    /// A real hash of nothing in particular: an unknown email is checked against it, so that an unknown
    /// account and a wrong password take the same time.
    dummy_hash: String,
}

impl Passwords {
    /// # Errors
    /// Only if argon2 rejects its own parameters.
    pub fn new() -> Result<Self, ApiError> {
        let params = Params::new(19 * 1024, 2, 1, None).map_err(ApiError::internal)?;
        let mut this = Self {
            params,
            dummy_hash: String::new(),
        };
        this.dummy_hash = this.hash("ocf-timing-equaliser")?;
        Ok(this)
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes a password into a PHC string (salt included). CPU-heavy: call it off the async workers.
    ///
    /// # Errors
    /// Only on an internal argon2 or RNG failure.
    pub fn hash(&self, password: &str) -> Result<String, ApiError> {
        self.argon()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    }

    /// Whether `password` matches `hash`. With no hash (unknown account) it spends the same time and fails.
    pub fn verify(&self, password: &str, hash: Option<&str>) -> bool {
        let target = hash.unwrap_or(&self.dummy_hash);
        let matches = self
            .argon()
            .verify_password(password.as_bytes(), target)
            .is_ok();
        matches && hash.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_wrong_passwords_do_not() -> Result<(), ApiError> {
        let p = Passwords::new()?;
        let h = p.hash("correct horse battery")?;
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(p.verify("correct horse battery", Some(&h)));
        assert!(!p.verify("wrong horse battery", Some(&h)));
        assert!(!p.verify("ocf-timing-equaliser", None));
        Ok(())
    }
}
