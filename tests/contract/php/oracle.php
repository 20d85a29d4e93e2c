<?php
// The PHP oracle of tests/contract/php: reads one JSON request per line on stdin, answers one JSON line.
//
// A request is {"ops": [op, ...]}; the answer {"results": [result, ...]}, one per op, in order.
// Binary data travels base64. PHP values travel "tagged" as a flat list of tokens (no nesting, so any
// depth survives JSON): N null, T true, F false, I<int>, D<16 hex digits: the IEEE double, big-endian>,
// S<base64 string>, A<count> followed by count pairs of (key token: I<int> or S<base64>, value tokens).

declare(strict_types=1);

// Warnings (Array to string conversion, non-numeric values, max_input_vars) are expected: keep them off stdout.
set_error_handler(static fn (): bool => true);

$jsonErrorNames = [];
foreach (get_defined_constants(true)['json'] as $name => $value) {
    if (str_starts_with($name, 'JSON_ERROR_')) {
        $jsonErrorNames[$value] = $name;
    }
}

function json_error_name(int $code): ?string
{
    global $jsonErrorNames;
    return $code === JSON_ERROR_NONE ? null : $jsonErrorNames[$code];
}

function tag(mixed $value, array &$out): void
{
    if ($value === null) {
        $out[] = 'N';
    } elseif ($value === true) {
        $out[] = 'T';
    } elseif ($value === false) {
        $out[] = 'F';
    } elseif (is_int($value)) {
        $out[] = 'I' . $value;
    } elseif (is_float($value)) {
        $out[] = 'D' . bin2hex(pack('E', $value));
    } elseif (is_string($value)) {
        $out[] = 'S' . base64_encode($value);
    } elseif (is_array($value)) {
        $out[] = 'A' . count($value);
        foreach ($value as $key => $item) {
            $out[] = is_int($key) ? 'I' . $key : 'S' . base64_encode((string) $key);
            tag($item, $out);
        }
    } else {
        throw new RuntimeException('cannot tag a ' . get_debug_type($value));
    }
}

function tagged(mixed $value): array
{
    $out = [];
    tag($value, $out);
    return $out;
}

function untag(array $tokens, int &$at): mixed
{
    $token = $tokens[$at++];
    $body = substr($token, 1);
    switch ($token[0]) {
        case 'N':
            return null;
        case 'T':
            return true;
        case 'F':
            return false;
        case 'I':
            return intval($body);
        case 'D':
            return unpack('E', hex2bin($body))[1];
        case 'S':
            return base64_decode($body, true);
        case 'A':
            $array = [];
            for ($i = intval($body); $i > 0; $i--) {
                $key = untag($tokens, $at);
                $array[$key] = untag($tokens, $at);
            }
            return $array;
    }
    throw new RuntimeException("bad token $token");
}

function untagged(array $tokens): mixed
{
    $at = 0;
    return untag($tokens, $at);
}

function run(array $op): array
{
    switch ($op['op']) {
        case 'json_decode':
            $value = json_decode(base64_decode($op['raw']), true, $op['depth'] ?? 512);
            return ['value' => tagged($value), 'error' => json_error_name(json_last_error())];
        case 'empty':
            return ['empty' => empty(untagged($op['value']))];
        case 'strval':
            $value = untagged($op['value']);
            return ['string' => base64_encode(is_array($value) ? 'Array' : strval($value))];
        case 'array_intersect':
            $values = untagged($op['values']);
            $allowed = untagged($op['allowed']);
            // PHP 8 throws a TypeError for a non-array; PHP 7 warned and returned null.
            return ['result' => tagged(is_array($values) ? array_intersect($values, $allowed) : null)];
        case 'parse_str':
            parse_str(base64_decode($op['query']), $get);
            return ['get' => tagged($get)];
        case 'controller':
            return controller(base64_decode($op['query']), untagged($op['allowed']), untagged($op['default']));
        case 'multiply':
            $text = base64_decode($op['text']);
            try {
                $number = $text * 1;
            } catch (TypeError) {
                // PHP 8 throws for a string with no numeric prefix ("abc", ""); PHP 7 warned and gave 0.
                $number = 0;
            }
            return ['number' => tagged($number)];
        case 'json_encode':
            $encoded = json_encode(json_decode(base64_decode($op['json']), true, $op['depth'] ?? 512), $op['flags']);
            return [
                'out' => $encoded === false ? null : base64_encode($encoded),
                'error' => json_error_name(json_last_error()),
            ];
    }
    throw new RuntimeException('unknown op ' . $op['op']);
}

// The SendStatistics controller's reading of `fields`, as the sibling /mailer/sends controller does it.
function controller(string $query, array $allowed, array $default): array
{
    parse_str($query, $get);
    $f = $get['fields'] ?? null;
    $decoded = is_string($f) ? json_decode($f, true) : null;   // PHP 7: json_decode(array) warned, gave null
    $error = is_string($f) ? json_error_name(json_last_error()) : null;
    $read = $decoded;
    if (empty($decoded)) {
        $decoded = $default;
    }
    $valid = is_array($decoded) ? array_intersect($decoded, $allowed) : null;  // PHP 7: warned, gave null
    $strings = is_array($valid) ? array_map(static fn ($v) => is_array($v) ? 'Array' : strval($v), $valid) : [];
    $names = array_values(array_filter($allowed, static fn ($name) => in_array($name, $strings, true)));
    $dropped = is_array($read) && is_array($valid) ? array_values(array_diff_key($read, $valid)) : [];
    return [
        'status' => empty($valid) ? 400 : 200,
        'decoded' => tagged($read),
        'error' => $error,
        'names' => $names,
        'dropped' => tagged($dropped),
    ];
}

while (($line = fgets(STDIN)) !== false) {
    $request = json_decode($line, true, 16, JSON_THROW_ON_ERROR);
    $results = array_map('run', $request['ops']);
    fwrite(STDOUT, json_encode(['results' => $results], JSON_THROW_ON_ERROR) . "\n");
    fflush(STDOUT);
}
