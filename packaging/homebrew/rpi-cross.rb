# SPDX-License-Identifier: MIT OR Apache-2.0
# Homebrew formula for rpi-cross, built from the release tarball that
# `make dist` makes. scripts/brew-formula.sh writes the url and sha256 of
# a built tarball into a copy of this file; as checked in they are
# placeholders.
class RpiCross < Formula
  desc "Cross-compile Rust for a Raspberry Pi and prove it runs there"
  homepage "https://github.com/rpi-cross/rpi-cross"
  url "https://github.com/rpi-cross/rpi-cross/releases/download/v@VERSION@/rpi-cross-@VERSION@.tar.gz"
  sha256 "@SHA256@"
  license any_of: ["MIT", "Apache-2.0"]

  depends_on "pkg-config" => :build
  depends_on "libarchive"
  depends_on "libssh"
  depends_on "libyaml"
  depends_on "ncurses"
  depends_on "openssl@3"

  def install
    # ncurses, openssl@3 and libarchive are keg-only: pkg-config finds them
    # through their own folders
    %w[ncurses openssl@3 libarchive].each do |f|
      ENV.prepend_path "PKG_CONFIG_PATH", Formula[f].opt_lib/"pkgconfig"
    end
    system "make", "PREFIX=#{prefix}", "WERROR="
    system "make", "install", "PREFIX=#{prefix}", "WERROR=",
           "BASHCOMPDIR=#{bash_completion}",
           "ZSHCOMPDIR=#{zsh_completion}",
           "FISHCOMPDIR=#{fish_completion}"
  end

  test do
    assert_match "rpi-cross #{version}", shell_output("#{bin}/rpi-cross --version")
    assert_match "pi4", shell_output("#{bin}/rpi-cross boards")
    assert_match "rpi-cross #{version}", shell_output("#{bin}/cargo-rpi rpi --version")
  end
end
