#!/usr/bin/perl
# render.pl: a caller's session as a PBX would have recorded it, made
# without ivrkit: the IVR's prompts and the caller's words spoken by
# espeak-ng or flite, the caller's keys synthesised by sox, line noise,
# the telephone band, 8 kHz mu-law, in three layouts:
#
#   OUT/ivr-left.wav    stereo, the IVR on the left leg
#   OUT/ivr-right.wav   stereo, the IVR on the right leg
#   OUT/mix.wav         mono, both legs mixed (Asterisk's MixMonitor)
#
#   perl render.pl PLAN OUT IVR-VOICE CALLER-VOICE [SEED]
#
# A voice is "espeak:NAME:PITCH:SPEED" or "flite:NAME". A plan is a line
# per event, in order (# comments):
#
#   ivr "words"      the IVR speaks
#   ivr "words" recording NAME
#                    the IVR plays a person's recording of the words instead
#                    (Asterisk's NAME.wav, asterisk-core-sounds-en-wav),
#                    whatever IVR-VOICE is
#   say "words"      the caller speaks
#   keys 1234#       the caller keys in (tone and pause lengths, levels and
#                    twist vary with the seed)
#   barge S "words"  the caller speaks S seconds into the IVR's last
#                    prompt, which stops half a second later (barge-in)
#   gap SECONDS      silence before the next event (otherwise 0.5 to 1.2 s
#                    by the seed; 0.8 to 1.4 s after the caller speaks: an
#                    IVR knows an answer has ended only after its own
#                    end-of-speech wait, VoiceXML's completetimeout)
#   menu, path, end  read by the test, not here
#   at DATE TIME     when the call was made (ivr-sim --at), read by the
#                    test
#   backend FILE     the menu's fetches answered from menus/FILE
#                    (ivr-sim --http-fixtures), read by the test
use strict;
use warnings;
use File::Path qw(make_path);

my ($plan, $out, $ivr_voice, $caller_voice, $seed) = @ARGV;
die "usage: render.pl PLAN OUT IVR-VOICE CALLER-VOICE [SEED]\n"
    unless defined $caller_voice;
$seed //= 1;
srand($seed);
my $tmp = "$out/parts";
make_path($tmp);

my %tones = ('1' => [697, 1209], '2' => [697, 1336], '3' => [697, 1477],
             '4' => [770, 1209], '5' => [770, 1336], '6' => [770, 1477],
             '7' => [852, 1209], '8' => [852, 1336], '9' => [852, 1477],
             '*' => [941, 1209], '0' => [941, 1336], '#' => [941, 1477]);

# sox -R: its noise and dither the same every run
sub sh {
    my $cmd = join ' ', @_;
    $cmd =~ s/^sox /sox -R /;
    system($cmd) == 0 or die "render.pl: failed: $cmd\n";
}

sub max0 { return $_[0] > 0 ? $_[0] : 0; }

sub duration {
    my $d = `soxi -D '$_[0]'`;
    chomp $d;
    return $d;
}

my $n = 0;
sub part { return sprintf "%s/%03d.wav", $tmp, $n++; }

# speech at 8 kHz, telephone band
sub speak {
    my ($voice, $text) = @_;
    my $raw = part();
    my @v = split /:/, $voice;
    $text =~ s/'/'\\''/g;
    if ($v[0] eq 'espeak') {
        sh("espeak-ng -v '$v[1]' -p $v[2] -s $v[3] -w '$raw' '$text'");
    } else {
        sh("flite -voice '$v[1]' -t '$text' -o '$raw'");
    }
    return phone($raw);
}

# speech brought to the telephone band at 8 kHz, at one level
sub phone {
    my $f = part();
    sh("sox '$_[0]' -r 8000 -c 1 -b 16 '$f' sinc 300-3400 norm -3");
    return $f;
}

# a person's recording of a prompt, as speak() leaves speech
sub recorded {
    my ($name) = @_;
    my $src = "/usr/share/asterisk/sounds/en_US_f_Allison/$name.wav";
    die "render.pl: $src missing (make deps)\n" unless -f $src;
    return phone($src);
}

sub silence {
    my $f = part();
    sh(sprintf "sox -n -r 8000 -c 1 -b 16 '%s' trim 0 %.3f", $f, $_[0]);
    return $f;
}

# keys as a caller's phone sends them: 70-150 ms tones, 80-200 ms apart,
# the high tone up to 3 dB over or under the low one
sub key_tones {
    my ($digits) = @_;
    my @files;
    for my $d (split //, $digits) {
        my $t = $tones{$d} or die "render.pl: '$d' is not a key\n";
        my $on = 0.07 + rand(0.08);
        my $off = 0.08 + rand(0.12);
        my $low = 0.25 + rand(0.15);
        my $high = $low * 10 ** ((rand(6) - 3) / 20);
        my $f = part();
        sh(sprintf "sox -n -r 8000 -b 16 '%s' synth %.3f sine %d sine %d " .
           "remix 1v%.3f,2v%.3f", $f, $on, $t->[0], $t->[1], $low, $high);
        push @files, $f, silence($off);
    }
    my $f = part();
    sh("sox " . join(' ', map { "'$_'" } @files) . " '$f'");
    return $f;
}

# the two legs, event after event
my (@ivr, @caller);
my ($gap, $last) = (undef, '');
open my $p, '<', $plan or die "render.pl: $plan: $!\n";
while (my $line = <$p>) {
    next if $line =~ /^\s*(#|$)/;
    my ($what, $arg) = $line =~ /^\s*(\w+)\s*(.*?)\s*$/;
    my $recording;
    ($arg, $recording) = ($1, $2) if $arg =~ /^(".*")\s+recording\s+(\S+)$/;
    $arg =~ s/^"(.*)"$/$1/;
    if ($what eq 'gap') {
        $gap = $arg;
        next;
    }
    if ($what eq 'barge') {
        my ($at, $words) = $arg =~ /^([\d.]+)\s+"?(.*?)"?$/
            or die "render.pl: barge SECONDS \"words\"\n";
        my $prompt = pop @ivr;
        pop @caller;
        my $said = speak($caller_voice, $words);
        my $cut = part();
        sh("sox '$prompt' '$cut' trim 0 " . ($at + 0.5));
        my $len = $at + duration($said);
        $len = $at + 0.5 if $len < $at + 0.5;
        my ($i, $c) = (part(), part());
        sh(sprintf "sox '%s' '%s' pad 0 %.3f", $cut, $i,
           max0($len - duration($cut)));
        sh(sprintf "sox '%s' '%s' pad %.3f %.3f", $said, $c, $at,
           max0($len - $at - duration($said)));
        push @ivr, $i;
        push @caller, $c;
        next;
    }
    next unless $what =~ /^(ivr|say|keys)$/;
    my $pause = silence(defined $gap ? $gap
                        : $last eq 'say' && $what eq 'ivr' ? 0.8 + rand(0.6)
                        : 0.5 + rand(0.7));
    undef $gap;
    $last = $what;
    push @ivr, $pause;
    push @caller, $pause;
    my $f = $what eq 'ivr' && $recording ? recorded($recording)
          : $what eq 'ivr' ? speak($ivr_voice, $arg)
          : $what eq 'say' ? speak($caller_voice, $arg) : key_tones($arg);
    my $quiet = silence(duration($f));
    push @ivr, $what eq 'ivr' ? $f : $quiet;
    push @caller, $what eq 'ivr' ? $quiet : $f;
}
close $p;
my $tail = silence(2);
push @ivr, $tail;
push @caller, $tail;

# each leg at its own level with its own line noise (the caller's louder)
my $ivr_db = -(6 + rand(6));
my $caller_db = -(4 + rand(8));
sh("sox " . join(' ', map { "'$_'" } @ivr) . " '$tmp/ivr.wav' gain $ivr_db");
sh("sox " . join(' ', map { "'$_'" } @caller) .
   " '$tmp/caller.wav' gain $caller_db");
for my $leg ('ivr', 'caller') {
    my $len = duration("$tmp/$leg.wav");
    sh(sprintf "sox -n -r 8000 -b 16 '%s/%s-noise.wav' synth %s whitenoise " .
       "vol %.4f sinc 300-3400", $tmp, $leg, $len,
       $leg eq 'caller' ? 0.004 + rand(0.006) : 0.002);
    sh("sox -m '$tmp/$leg.wav' '$tmp/$leg-noise.wav' '$tmp/$leg-line.wav'");
}
sh("sox -M '$tmp/ivr-line.wav' '$tmp/caller-line.wav' -e u-law '$out/ivr-left.wav'");
sh("sox -M '$tmp/caller-line.wav' '$tmp/ivr-line.wav' -e u-law '$out/ivr-right.wav'");
sh("sox -m '$tmp/ivr-line.wav' '$tmp/caller-line.wav' -e u-law '$out/mix.wav'");
sh("rm -rf '$tmp'");
