//! Which methods each documented path accepts, for `405 Method Not Allowed` with an `Allow` header.

/// Which methods each documented path accepts, for `405 Method Not Allowed` with an `Allow` header.
#[derive(Debug)]
pub struct MethodTable(Vec<(actix_web::dev::ResourceDef, Vec<String>)>);

impl MethodTable {
    pub fn from_document(api: &utoipa::openapi::OpenApi) -> Self {
        let rows = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_owned())
                .collect();
                (actix_web::dev::ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        Self(rows)
    }

    /// The methods allowed on `path`, if any documented route matches it.
    pub fn allowed(&self, path: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}
