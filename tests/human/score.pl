#!/usr/bin/perl
# score.pl LABELS RESULTS...: ivr-asr --json results against make-set.sh's
# labels. Prints "in RIGHT TOTAL", "out REJECTED TOTAL", "digits ERRORS
# WORDS EXACT STRINGS" and, with -v first, each miss.
use strict;
use warnings;

my $verbose = @ARGV && $ARGV[0] eq '-v' ? shift : 0;
my $labels = shift;
my (%kind, %want);
open my $l, '<', $labels or die "score.pl: $labels: $!\n";
while (<$l>) {
    my ($name, $kind, $expected) = split;
    $kind{$name} = $kind;
    $want{$name} = $expected;
}
close $l;

# every accepted utterance of a file, in order
my %heard;
for my $file (@ARGV) {
    open my $r, '<', $file or die "score.pl: $file: $!\n";
    while (<$r>) {
        my ($path) = /"file":"([^"]*)"/ or next;
        my ($name) = $path =~ m{([^/]+)\.wav$};
        my ($text) = /"text":"([^"]*)"/;
        my ($choice) = /"choice":"([^"]*)"/;
        $heard{$name} //= [];
        # a value said as digits is its words, not the rule's name
        push @{$heard{$name}}, defined $choice && $choice ne "<digits>"
                                   ? $choice : $text
            if /"rejected":false/;
    }
    close $r;
}

sub distance {   # word edit distance
    my ($a, $b) = @_;
    my @d = (0 .. @$b);
    for my $i (1 .. @$a) {
        my @n = ($i);
        for my $j (1 .. @$b) {
            my $c = $a->[$i - 1] eq $b->[$j - 1] ? 0 : 1;
            my $m = $d[$j - 1] + $c;
            $m = $d[$j] + 1 if $d[$j] + 1 < $m;
            $m = $n[$j - 1] + 1 if $n[$j - 1] + 1 < $m;
            push @n, $m;
        }
        @d = @n;
    }
    return $d[-1];
}

my %n = (in => [0, 0], out => [0, 0], digits => [0, 0, 0, 0]);
for my $name (sort keys %kind) {
    my @got = @{$heard{$name} // []};
    if ($kind{$name} eq 'in') {
        my $ok = @got && $got[0] eq $want{$name};
        $n{in}[0] += $ok;
        $n{in}[1]++;
        print "# $name: heard '@got'\n" if $verbose && !$ok;
    } elsif ($kind{$name} eq 'out') {
        $n{out}[0] += !@got;
        $n{out}[1]++;
        print "# $name: taken for '@got'\n" if $verbose && @got;
    } else {
        my @ref = split /_/, $want{$name};
        my @hyp = map { $_ eq 'oh' ? 'zero' : $_ } map { split } @got;
        @ref = map { $_ eq 'oh' ? 'zero' : $_ } @ref;
        my $e = distance(\@hyp, \@ref);
        $n{digits}[0] += $e;
        $n{digits}[1] += @ref;
        $n{digits}[2] += !$e;
        $n{digits}[3]++;
        print "# $name: '@ref' heard '@hyp'\n" if $verbose && $e;
    }
}
print "in @{$n{in}}\nout @{$n{out}}\ndigits @{$n{digits}}\n";
