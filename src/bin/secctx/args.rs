//! A small argument reader: `--name value`, `--name=value` and switches.

/// The arguments of one subcommand.
pub struct Args {
    items: Vec<String>,
    used: Vec<bool>,
}

impl Args {
    pub fn new(args: &[String]) -> Args {
        Args {
            items: args.to_vec(),
            used: vec![false; args.len()],
        }
    }

    /// The value of `--name value` or `--name=value`, if given.
    pub fn value(&mut self, name: &str) -> Result<Option<String>, String> {
        let prefix = format!("{name}=");
        for i in 0..self.items.len() {
            if self.used[i] {
                continue;
            }
            if self.items[i] == name {
                self.used[i] = true;
                return match self.items.get(i + 1) {
                    Some(v) if !self.used[i + 1] => {
                        self.used[i + 1] = true;
                        Ok(Some(v.clone()))
                    }
                    _ => Err(format!("{name} needs a value")),
                };
            }
            if let Some(v) = self.items[i].strip_prefix(&prefix) {
                self.used[i] = true;
                return Ok(Some(v.to_string()));
            }
        }
        Ok(None)
    }

    /// `--domain-sid SID`, parsed; the error names the option.
    pub fn domain_sid(&mut self) -> Result<Option<secctx::Sid>, String> {
        match self.value("--domain-sid")? {
            None => Ok(None),
            Some(d) => secctx::Sid::parse_sddl(&d, None)
                .map(Some)
                .map_err(|e| format!("--domain-sid: {e}")),
        }
    }

    /// Whether the switch `name` is given (consuming it).
    pub fn flag(&mut self, name: &str) -> bool {
        let mut found = false;
        for i in 0..self.items.len() {
            if !self.used[i] && self.items[i] == name {
                self.used[i] = true;
                found = true;
            }
        }
        found
    }

    /// The arguments not consumed so far that do not start with `--`
    /// (consuming them). Read options first.
    pub fn positionals(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..self.items.len() {
            if !self.used[i] && (!self.items[i].starts_with("--") || self.items[i] == "-") {
                self.used[i] = true;
                out.push(self.items[i].clone());
            }
        }
        out
    }

    /// Fails on any argument that was not consumed.
    pub fn finish(&self) -> Result<(), String> {
        match self.items.iter().zip(&self.used).find(|(_, u)| !**u) {
            Some((arg, _)) => Err(format!("unexpected argument `{arg}`")),
            None => Ok(()),
        }
    }
}
