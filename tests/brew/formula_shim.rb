# SPDX-License-Identifier: MIT OR Apache-2.0
# formula_shim.rb FORMULA PREFIX [test] - run a Homebrew formula's install
# block (or, with "test", its test block) on a machine without Homebrew:
# a small stand-in for the parts of Homebrew's Formula the rpi-cross
# formula uses (its class methods record, system runs the real make,
# prefix and the completion folders are under PREFIX, Formula[NAME]'s
# opt_lib is the system's). Run in the unpacked source folder.
require "pathname"

class Formula
  @@recorded = {}
  def self.recorded = @@recorded

  %i[desc homepage url sha256 license].each do |m|
    define_singleton_method(m) { |*a, **kw| @@recorded[m] = a.first || kw }
  end

  def self.depends_on(spec)
    (@@recorded[:depends_on] ||= []) << spec
  end

  def self.test(&block) = (@@recorded[:test] = block)

  def self.inherited(sub)
    super
    @@recorded[:class] = sub
  end

  def self.[](_name) = Struct.new(:opt_lib).new(Pathname("/usr/lib"))

  def prefix = Pathname(ENV.fetch("SHIM_PREFIX"))
  def bin = prefix/"bin"
  def bash_completion = prefix/"etc/bash_completion.d"
  def zsh_completion = prefix/"share/zsh/site-functions"
  def fish_completion = prefix/"share/fish/vendor_completions.d"
  def version = ENV.fetch("SHIM_VERSION")

  def system(*args)
    Kernel.system(*args) or raise "failed: #{args.join(" ")}"
  end

  def shell_output(cmd)
    out = `#{cmd}`
    raise "failed: #{cmd}" unless $?.success?
    out
  end

  def assert_match(pattern, text)
    ok = pattern.is_a?(Regexp) ? pattern.match?(text) : text.include?(pattern)
    raise "expected #{pattern.inspect} in #{text.inspect}" unless ok
  end
end

def ENV.prepend_path(key, path)
  self[key] = [path.to_s, self[key]].compact.reject(&:empty?).join(":")
end

formula, prefix, what = ARGV
ENV["SHIM_PREFIX"] = prefix
load formula
f = Formula.recorded[:class].new
if what == "test"
  f.instance_eval(&Formula.recorded[:test])
  puts "test block passed"
else
  f.install
  puts "depends_on: #{Formula.recorded[:depends_on].map(&:to_s).join(" ")}"
end
