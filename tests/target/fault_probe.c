/*
 * The fault probe: an image that executes an illegal instruction on purpose.
 * The qemu-fault suite runs it on every board and passes only if the run
 * ends promptly with the fault handler's report and a non-zero exit status,
 * proving that a crash in a test image cannot hang `make test` or pass it.
 */
#include "fw.h"

int main(void)
{
    fw_print("fault probe on " FW_BOARD_NAME ": executing an illegal instruction\n");
    fw_illegal_instruction();
    /* Reaching this line means no fault was taken: that is a failure too. */
    fw_print("fault probe: no fault taken\n");
    return 2;
}
