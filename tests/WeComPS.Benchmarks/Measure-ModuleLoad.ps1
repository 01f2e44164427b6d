<#
.SYNOPSIS
    How long WeComPS takes to load in a fresh process, beyond PowerShell's own start.
.DESCRIPTION
    Starts fresh PowerShell processes in pairs, in turn: one that runs the module's cold path (by default Import-Module,
    Connect-WeCom -Sandbox and one Get-WeComUser -UserId) and one that only exits. Prints the median of each and the
    median of the pairs' differences: the module's own cost. Runs the PowerShell that runs it (pwsh, or Windows
    PowerShell 5.1), or -PowerShell.
.EXAMPLE
    pwsh tests/WeComPS.Benchmarks/Measure-ModuleLoad.ps1 -Runs 21
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 200)]
    [int] $Runs = 15,

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
