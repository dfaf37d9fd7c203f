//! `init`: write a starter model for a tier ([`aimscheck::starter`]), to fill in.

use crate::args::InitArgs;
use crate::commands::EXIT_OK;
use crate::diag::Failure;
use crate::output;

/// `aimscheck init`.
pub fn run(args: &InitArgs) -> Result<u8, Failure> {
    let text = aimscheck::starter::model(args.tier.tier());
    let Some(path) = &args.output else {
        output::stdout(text)?;
        output::note(
            "next: save this model to a file, fill in roles, owners and procedures, then run: aimscheck check FILE\n",
        );
        return Ok(EXIT_OK);
    };
    let name = path.display().to_string();
    output::create(path, text, args.force, "the model")?;
    output::note(&format!(
        "wrote a starter model for tier {} to {name}\nnext: fill in roles, owners and procedures, then run: aimscheck check {name}\n",
        args.tier.as_str()
    ));
    Ok(EXIT_OK)
}
