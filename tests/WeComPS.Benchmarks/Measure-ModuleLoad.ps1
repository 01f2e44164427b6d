<#
.SYNOPSIS
    How long WeComPS takes to load in a fresh process, beyond PowerShell's own start.
.DESCRIPTION
    Starts fresh PowerShell processes in pairs, in turn: one that runs the module's cold path (by default Import-Module,
    Connect-WeCom -Sandbox and one Get-WeComUser -UserId) and one that only exits. Prints the median of each and the
    median of the pairs' differences: the module's own cost. Runs the PowerShell that runs it (pwsh, or Windows
    PowerShell 5.1), or -PowerShell.
    With -JitCounts it counts instead of timing: the methods the runtime compiles in each step of the cold path
    (System.Runtime.JitInfo, PowerShell 7), the median of -Runs fresh processes. Counts hardly move when the machine
    is busy, so they show what a change saves where the times are too noisy to.
.EXAMPLE
    pwsh tests/WeComPS.Benchmarks/Measure-ModuleLoad.ps1 -Runs 21
.EXAMPLE
    pwsh tests/WeComPS.Benchmarks/Measure-ModuleLoad.ps1 -JitCounts -Runs 3
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 200)]
    [int] $Runs = 15,

    [switch] $JitCounts,

    [string] $Module = (Join-Path $PSScriptRoot '../../out/WeComPS/WeComPS.psd1'),

    [string] $PowerShell = (Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }))
)

$ErrorActionPreference = 'Stop'
$Module = (Resolve-Path $Module).Path
$paths = @{
    'Import-Module' = "Import-Module '$Module'"
    'Import, Connect-WeCom -Sandbox, Get-WeComUser -UserId' = "Import-Module '$Module'; Connect-WeCom -Sandbox | Out-Null; Get-WeComUser -UserId ZhangSan | Out-Null"
}

# Seconds from starting a fresh process that runs $Command to its exit.
function Measure-Process([string] $Command) {
    # -EncodedCommand: no quoting rules to get wrong, on either edition.
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))
    $info = [System.Diagnostics.ProcessStartInfo]::new($PowerShell, "-NoProfile -NonInteractive -EncodedCommand $encoded")
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    $watch.Stop()
    if ($process.ExitCode -ne 0) { throw "'$Command' exited with $($process.ExitCode)." }
    $watch.Elapsed.TotalSeconds
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[int][math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}

$version = & $PowerShell -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()'
# PowerShell's release packages are precompiled; the .NET tool is not, and then its own code is compiled at first use too.
$probe = '$pe = [System.Reflection.PortableExecutable.PEReader]::new([System.IO.File]::OpenRead([psobject].Assembly.Location)); $pe.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -eq 0'
if ((& $PowerShell -NoProfile -NonInteractive -Command $probe 2>$null) -eq 'True') {
    Write-Warning "This PowerShell is IL only (the .NET tool?): the figures include compiling PowerShell's own module loading. New-PrecompiledPowerShell.ps1 beside this script makes a copy precompiled as PowerShell's release packages are."
}
if ($JitCounts) {
    # Each step between two readings of the count; the count includes the runtime's background threads.
    $count = '[System.Runtime.JitInfo]::GetCompiledMethodCount($false)'
    $command = "`$n = @($count); Import-Module '$Module'; `$n += $count; Connect-WeCom -Sandbox | Out-Null; `$n += $count; " +
        "Get-WeComUser -UserId ZhangSan | Out-Null; `$n += $count; (1..3 | ForEach-Object { `$n[`$_] - `$n[`$_ - 1] }) -join ' '"
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($command))
    $samples = @(for ($i = 0; $i -lt $Runs; $i++) {
        $line = & $PowerShell -NoProfile -NonInteractive -EncodedCommand $encoded
        if ($LASTEXITCODE -or $line -notmatch '^\d+ \d+ \d+$') { throw "Counting needs PowerShell 7 (System.Runtime.JitInfo); the process answered: $line" }
        , [int[]]($line -split ' ')
    })
    Write-Host "Methods compiled by the JIT in WeComPS's cold path on PowerShell $version, the median of $Runs fresh processes"
    $steps = 'Import-Module', 'Connect-WeCom -Sandbox', 'Get-WeComUser -UserId'
    $medians = for ($s = 0; $s -lt 3; $s++) { Get-Median ($samples | ForEach-Object { $_[$s] }) }
    for ($s = 0; $s -lt 3; $s++) { '{0,-24} {1,6}' -f $steps[$s], $medians[$s] }
    '{0,-24} {1,6}' -f 'all three', ($medians | Measure-Object -Sum).Sum
    return
}

Write-Host "WeComPS load time on PowerShell $version, $Runs pairs of fresh processes each (module vs. a process that only exits)"
foreach ($name in $paths.Keys | Sort-Object) {
    # A warm-up pair, not counted: the disk cache.
    $null = Measure-Process $paths[$name]
    $null = Measure-Process 'exit'

    $withModule = [System.Collections.Generic.List[double]]::new()
    $bare = [System.Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Runs; $i++) {
        # Alternate which goes first, so a drift of the machine's speed favours neither.
        if ($i % 2) { $bare.Add((Measure-Process 'exit')); $withModule.Add((Measure-Process $paths[$name])) }
        else { $withModule.Add((Measure-Process $paths[$name])); $bare.Add((Measure-Process 'exit')) }
    }
    $differences = for ($i = 0; $i -lt $Runs; $i++) { $withModule[$i] - $bare[$i] }
    '{0,-56} {1,6:0.000} s  (module {2:0.000} s, PowerShell alone {3:0.000} s)' -f $name, (Get-Median $differences), (Get-Median $withModule), (Get-Median $bare)
}
