//! `migrate`: rewrite a model of schema 1.0 as schema 1.1 ([`aimscheck::api::migrate`]),
//! changing nothing else, and write it out.

use crate::args::MigrateArgs;
use crate::commands::EXIT_OK;
use crate::diag::Failure;
use crate::output;
use aimscheck::api::{self, MigrateRequest, ModelFields, ModelInput};
use aimscheck::migrate::TARGET;

/// `aimscheck migrate`.
pub fn run(args: &MigrateArgs) -> Result<u8, Failure> {
    let name = args.model.display().to_string();
    let limits = args.load.limits();
    let request = MigrateRequest {
        model: ModelFields::of(ModelInput::Path(args.model.clone())),
        limits: (&limits).into(),
        strict: limits.strict,
    };
    let migrated = api::migrate(request).map_err(|e| {
        let mut f = Failure::default();
        f.add(&e, Some(&name));
        f
    })?;
    if !migrated.changed {
        output::note(&format!("{name} already follows schema {TARGET}\n"));
    }
    let out = migrated.model_text;
    match &args.output {
        Some(path) => {
            output::create(path, &out, args.force, "the model")?;
            output::note(&format!(
                "wrote {name} as schema {TARGET} to {}\n",
                path.display()
            ));
        }
        None => output::stdout(&out)?,
    }
    Ok(EXIT_OK)
}
