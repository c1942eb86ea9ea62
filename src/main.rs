use clap::Parser;

fn main() {
    let cli = secreg::cli::Cli::parse();
    std::process::exit(secreg::cli::run(cli));
}
