# keypad.sh: sourced by make-set.sh and gsm.sh, which make key tones with
# sox without ivrkit's own generator.
keys=123A456B789C*0#D
tone() {  # tone KEY: its two frequencies
    case $1 in
        1) echo 697 1209 ;; 2) echo 697 1336 ;; 3) echo 697 1477 ;;
        A) echo 697 1633 ;; 4) echo 770 1209 ;; 5) echo 770 1336 ;;
        6) echo 770 1477 ;; B) echo 770 1633 ;; 7) echo 852 1209 ;;
        8) echo 852 1336 ;; 9) echo 852 1477 ;; C) echo 852 1633 ;;
        '*') echo 941 1209 ;; 0) echo 941 1336 ;; '#') echo 941 1477 ;;
        D) echo 941 1633 ;;
    esac
}
