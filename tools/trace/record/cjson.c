/*
 * Records cJSON (Debian's libcjson) through cJSON_InitHooks: a device that
 * parses its configuration once, then for a while parses incoming command
 * messages and builds, prints and frees telemetry reports. With hooks
 * installed cJSON grows print buffers by malloc + copy + free (it uses
 * realloc only with libc's own allocator), which the trace shows.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

static const char config[] =
    "{\"device\":{\"id\":\"sensor-node-17\",\"fw\":\"2.4.1\",\"location\":{\"lat\":48.1374,"
    "\"lon\":11.5755,\"floor\":3}},\"network\":{\"ssid\":\"plant-floor\",\"dhcp\":true,"
    "\"servers\":[\"10.0.0.1\",\"10.0.0.2\",\"10.0.8.53\"],\"retry_ms\":[100,200,400,800,1600]},"
    "\"channels\":[{\"name\":\"temp\",\"unit\":\"C\",\"rate\":10,\"alarm\":{\"lo\":-10,\"hi\":85}},"
    "{\"name\":\"humidity\",\"unit\":\"%\",\"rate\":5,\"alarm\":{\"lo\":5,\"hi\":95}},"
    "{\"name\":\"pressure\",\"unit\":\"hPa\",\"rate\":1,\"alarm\":null},"
    "{\"name\":\"vibration\",\"unit\":\"g\",\"rate\":100,\"alarm\":{\"lo\":0,\"hi\":4.5}}],"
    "\"log\":{\"level\":\"info\",\"ring\":4096,\"targets\":[\"uart\",\"flash\"]}}";

static const char *const commands[] = {
    "{\"cmd\":\"set_rate\",\"channel\":\"temp\",\"rate\":20,\"seq\":1}",
    "{\"cmd\":\"get_status\",\"seq\":2}",
    "{\"cmd\":\"set_alarm\",\"channel\":\"humidity\",\"alarm\":{\"lo\":10,\"hi\":90},\"seq\":3}",
    "{\"cmd\":\"upload\",\"files\":[\"log.0\",\"log.1\",\"log.2\"],\"chunk\":512,\"seq\":4}",
    "{\"cmd\":\"reboot\",\"delay_ms\":5000,\"reason\":\"config change\",\"seq\":5}",
};

static cJSON *telemetry(unsigned round)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "device", "sensor-node-17");
    cJSON_AddNumberToObject(msg, "round", round);
    cJSON *readings = cJSON_AddArrayToObject(msg, "readings");
    for (unsigned c = 0; c < 4; c++) {
        cJSON *r = cJSON_CreateObject();
        static const char *const names[] = {"temp", "humidity", "pressure", "vibration"};
        cJSON_AddStringToObject(r, "channel", names[c]);
        cJSON *samples = cJSON_AddArrayToObject(r, "samples");
        unsigned n = 4u + (round * 7u + c * 3u) % 13u;
        for (unsigned i = 0; i < n; i++)
            cJSON_AddItemToArray(samples, cJSON_CreateNumber(20.0 + (double)((round + i) % 17) * 0.25));
        cJSON_AddItemToArray(readings, r);
    }
    if (round % 5u == 0)
        cJSON_AddStringToObject(msg, "note", "periodic full report with extended diagnostics");
    return msg;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUT.fht\n", argv[0]);
        return 2;
    }
    cJSON_Hooks hooks = {FH_NAME(malloc), FH_NAME(free)};
    cJSON_InitHooks(&hooks);
    rec_start(argv[1]);
    cJSON *cfg = cJSON_Parse(config);
    if (cfg == NULL)
        rec_fail("cJSON_Parse(config)", 0);
    for (unsigned round = 0; round < 60; round++) {
        cJSON *cmd = cJSON_Parse(commands[round % 5u]);
        if (cmd == NULL)
            rec_fail("cJSON_Parse(command)", (long)round);
        cJSON *seq = cJSON_GetObjectItemCaseSensitive(cmd, "seq");
        cJSON *msg = telemetry(round);
        cJSON_AddItemToObject(msg, "ack", cJSON_Duplicate(seq, 1));
        char *text = round % 2u ? cJSON_PrintUnformatted(msg) : cJSON_Print(msg);
        if (text == NULL || strlen(text) < 10)
            rec_fail("cJSON_Print", (long)round);
        cJSON_free(text);
        cJSON_Delete(msg);
        cJSON_Delete(cmd);
    }
    cJSON_Delete(cfg);
    rec_stop();
    return 0;
}
