//! `kubebook labs …` (not implemented yet).

use crate::cli::LabsCommand;

pub fn run(cmd: LabsCommand) -> u8 {
    match cmd {
        LabsCommand::List { .. } => crate::cli::not_yet("labs list"),
        LabsCommand::Show { .. } => crate::cli::not_yet("labs show"),
        LabsCommand::Export { .. } => crate::cli::not_yet("labs export"),
        LabsCommand::Run { .. } => crate::cli::not_yet("labs run"),
    }
}
