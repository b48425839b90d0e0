module bela

go 1.26
