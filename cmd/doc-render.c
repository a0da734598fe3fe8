#include <stdio.h>
int main(void){fputs("doc-render: not built yet\n", stderr); return 2;}
