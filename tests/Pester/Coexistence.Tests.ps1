# WeComPS beside another module that carries its own, older, Microsoft.Extensions.Caching.Memory and System.Text.Json
# (tests/NeighbourModule, built with the solution) and resolves them itself: each process loads both, in either order.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $built = Get-ChildItem (Join-Path $PSScriptRoot '../NeighbourModule/bin') -Recurse -Filter NeighbourModule.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1
    if (-not $built) { throw 'Build the solution first: tests/NeighbourModule is not built.' }

    # The neighbour as it would be installed: its DLL, a manifest, and its dependencies in lib/.
    $neighbour = Join-Path $TestDrive 'Neighbour'
    New-Item -ItemType Directory (Join-Path $neighbour 'lib') | Out-Null
    Copy-Item $built.FullName $neighbour
    Get-ChildItem $built.DirectoryName -Filter *.dll | Where-Object Name -ne $built.Name | Copy-Item -Destination (Join-Path $neighbour 'lib')
    Set-Content (Join-Path $neighbour 'Neighbour.psd1') "@{ RootModule = 'NeighbourModule.dll'; ModuleVersion = '1.0'; CmdletsToExport = @('Get-NeighbourCache') }"
    $script:neighbourManifest = Join-Path $neighbour 'Neighbour.psd1'
    $script:powershell = Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Desktop') { 'powershell.exe' } elseif ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })

    # Runs the steps (WeComPS, Neighbour) in that order in a fresh process; returns what each step read.
    function Invoke-InFreshProcess([string[]] $Steps) {
        $code = @{
            WeComPS   = "Import-Module '$ModulePath'; Connect-WeCom -Sandbox | Out-Null; `$r = Get-WeComUser -UserId ZhangSan; [pscustomobject]@{ Step = 'WeComPS'; Value = `$r.Name; Connections = @(Get-WeComConnection).Count }"
            Neighbour = "Import-Module '$neighbourManifest'; `$n = Get-NeighbourCache; [pscustomobject]@{ Step = 'Neighbour'; Value = `$n.Value; CacheVersion = `$n.CacheVersion; CachePath = `$n.CachePath; JsonPath = `$n.JsonPath }"
        }
        $script = '$ErrorActionPreference = "Stop"; @(' + (($Steps | ForEach-Object { $code[$_] }) -join '; ') + ') | ConvertTo-Json -Compress'
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
        $output = & $powershell -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1
        if ($LASTEXITCODE) { throw "The process failed ($LASTEXITCODE): $output" }
        ($output | Out-String) | ConvertFrom-Json
    }
}

Describe 'WeComPS beside a module with its own Microsoft.Extensions.* and System.Text.Json' -Tag CI {
    It 'both work when <Order> is imported first' -TestCases @(
        @{ Order = 'the other module'; Steps = 'Neighbour', 'WeComPS', 'Neighbour' }
        @{ Order = 'WeComPS'; Steps = 'WeComPS', 'Neighbour', 'WeComPS' }
    ) {
        $results = Invoke-InFreshProcess $Steps
        $results.Count | Should -Be 3
        foreach ($result in $results | Where-Object Step -eq 'WeComPS') {
            $result.Value | Should -Be '张三'
        }
        foreach ($result in $results | Where-Object Step -eq 'Neighbour') {
            $result.Value | Should -Be 'hello'
            # Its own, older, version from its own folder: never the one WeComPS ships.
            $result.CacheVersion | Should -Be '8.0.0.0'
            $result.CachePath | Should -BeLike (Join-Path $TestDrive '*')
            # Its System.Text.Json is its own (Windows PowerShell) or the runtime's (PowerShell 7), never the one WeComPS ships.
            $result.JsonPath | Should -Not -BeLike (Join-Path (Split-Path $ModulePath) '*')
        }
    }
}
